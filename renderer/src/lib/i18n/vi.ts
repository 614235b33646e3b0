import { en, type Messages } from './en.ts';

export const vi: Messages = { ...en };
