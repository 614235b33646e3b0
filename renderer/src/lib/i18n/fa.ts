import { en, type Messages } from './en.ts';

export const fa: Messages = { ...en };
