import { builder } from './builder.ts';
import './scalars.ts';
import './pagination.ts';
import './user.ts';
import './contact.ts';
import './message.ts';
import './conversation.ts';
import './auth.ts';
import './events.ts';
import './assistant.ts';

/** The executable schema. */
export const schema = builder.toSchema();
