/** Installs missing system commands from Debian's packages with apt-get. */
import { commandExists, runCommand } from './process.ts';

// apt-get holds a global dpkg lock, so installs run one at a time, after one `update`.
let queue: Promise<void> = Promise.resolve();
let updated = false;

/** Installs Debian package pkg when command is not on PATH; log reports the step. */
export async function ensureAptCommand(
  command: string,
  pkg: string,
  logFile: string,
  log: (message: string) => void,
): Promise<void> {
  if (await commandExists(command)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptGet = (args: string[]) =>
    process.getuid?.() === 0
      ? runCommand('apt-get', args, { env, logFile })
      : runCommand('sudo', ['apt-get', ...args], { env, logFile });
  const install = queue.then(async () => {
    if (await commandExists(command)) return;
    if (!updated) {
      log('apt-get update');
      await aptGet(['update']);
      updated = true;
    }
    log(`apt-get install ${pkg} (${command} is missing)`);
    await aptGet(['install', '-y', '--no-install-recommends', pkg]);
    if (!(await commandExists(command))) {
      throw new Error(`installed ${pkg} but ${command} is still not on PATH`);
    }
  });
  // The next install waits for this one whatever its outcome; this one's error reaches our caller.
  queue = install.catch(() => undefined);
  await install;
}
