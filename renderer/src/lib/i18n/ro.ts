import { en, type Messages } from './en.ts';

export const ro: Messages = { ...en };
