import type { EventBus, EventStream } from '../ports/event-bus.ts';
import type { Topic, TopicMap } from '../ports/events.ts';
import type { PresenceStore } from '../ports/presence.ts';
import type { Metrics } from './metrics.ts';

/**
 * The bus, counting live subscriptions and timing each MessageAdded from its send to the
 * moment its subscriber takes it (delivery latency, whichever instance it was sent on).
 * Everything else, including an adapter's own extras, passes through untouched.
 */
export function instrumentBus<B extends EventBus>(
  bus: B,
  metrics: Pick<Metrics, 'observeDelivery' | 'subscriptionStarted' | 'subscriptionEnded'>,
): B {
  async function subscribe<K extends Topic>(
    topic: K,
    id: string,
  ): Promise<EventStream<TopicMap[K]>> {
    const stream = await bus.subscribe(topic, id);
    metrics.subscriptionStarted();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      metrics.subscriptionEnded();
    };
    const instrumented: EventStream<TopicMap[K]> = {
      async next() {
        try {
          const result = await stream.next();
          if (result.done) end();
          else if (isMessageAdded(result.value)) {
            metrics.observeDelivery(result.value.message.createdAt);
          }
          return result;
        } catch (error) {
          end();
          throw error;
        }
      },
      async return() {
        end();
        return stream.return();
      },
      [Symbol.asyncIterator]() {
        return instrumented;
      },
    };
    return instrumented;
  }
  const replaced: Pick<EventBus, 'subscribe'> = { subscribe };
  return override(bus, replaced);
}

/** Presence, counting the authenticated sockets it is told about. */
export function instrumentPresence<P extends PresenceStore>(
  presence: P,
  metrics: Pick<Metrics, 'socketOpened' | 'socketClosed'>,
): P {
  const replaced: Pick<PresenceStore, 'connect' | 'disconnect'> = {
    connect(userId, connectionId) {
      metrics.socketOpened();
      return presence.connect(userId, connectionId);
    },
    disconnect(userId, connectionId) {
      metrics.socketClosed();
      return presence.disconnect(userId, connectionId);
    },
  };
  return override(presence, replaced);
}

/**
 * `target` with some methods replaced. A proxy rather than a copy, so that getters and
 * methods of the adapter (class instances with private fields included) keep working.
 */
function override<T extends object>(target: T, replaced: object): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(replaced, property)) return Reflect.get(replaced, property);
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

function isMessageAdded(
  event: unknown,
): event is { type: 'MessageAdded'; message: { createdAt: Date } } {
  if (typeof event !== 'object' || event === null) return false;
  if (!('type' in event) || event.type !== 'MessageAdded' || !('message' in event)) return false;
  const { message } = event;
  return (
    typeof message === 'object' &&
    message !== null &&
    'createdAt' in message &&
    message.createdAt instanceof Date
  );
}
