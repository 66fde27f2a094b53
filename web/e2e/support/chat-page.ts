import type { Locator, Page } from 'playwright-core';

/** A person using the app in their own browser context. */
export interface Person {
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

/** Drives the Parley UI through its labelled controls, the way a user would. */
export class ChatPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async signUp(baseUrl: string, person: Person): Promise<void> {
    await this.page.goto(baseUrl);
    await this.page.getByRole('tab', { name: 'Sign up' }).click();
    await this.page.getByLabel('Name').fill(person.name);
    await this.page.getByLabel('Email').fill(person.email);
    await this.page.getByLabel('Password').fill(person.password);
    await this.page.getByRole('button', { name: 'Create account' }).click();
    await this.page.getByText(`Signed in as ${person.name}`).waitFor();
  }

  async logIn(baseUrl: string, email: string, password: string, name: string): Promise<void> {
    await this.page.goto(baseUrl);
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Log in' }).click();
    await this.page.getByText(`Signed in as ${name}`).waitFor();
  }

  async addContact(email: string, expectedName: string): Promise<void> {
    await this.page.getByLabel('Add contact by email').fill(email);
    await this.page.getByRole('button', { name: 'Add', exact: true }).click();
    await this.page.getByText(`Added ${expectedName}.`).waitFor();
  }

  /** Opens the direct conversation with a contact from the contact list. */
  async openChatWith(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Message ${name}` }).click();
    await this.page.getByRole('heading', { name, level: 1 }).waitFor();
  }

  /** A conversation in the sidebar list, by its title. */
  conversationButton(title: string): Locator {
    return this.page
      .getByRole('list', { name: 'Conversations' })
      .getByRole('button', { name: new RegExp(`^${title}`) });
  }

  get composer(): Locator {
    return this.page.getByRole('textbox', { name: 'Message' });
  }

  /** Types like a person (so typing is announced), then sends with Enter. */
  async type(text: string): Promise<void> {
    await this.composer.pressSequentially(text);
  }

  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press('Enter');
  }

  /** The stored messages on screen (pending ones excluded), in display order. */
  get messages(): Locator {
    return this.page.getByRole('list', { name: 'Messages' }).locator('li[data-seq]');
  }

  /** The bodies of the stored messages on screen, in display order. */
  async messageBodies(): Promise<string[]> {
    return this.messages.locator(':scope > div').allInnerTexts();
  }

  /** Waits until a stored message with exactly this body is on screen. */
  async waitForMessage(body: string): Promise<void> {
    const exact = new RegExp(`^${body.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await this.messages.locator(':scope > div', { hasText: exact }).last().waitFor();
  }

  get banner(): Locator {
    return this.page.getByRole('status').filter({ hasText: /offline|Reconnecting/ });
  }
}
