// Commands whose capability is still being built: listed in --help with their contract, refusing to run.
import type { Command } from '../command.ts';

export function reserved(name: string, summary: string, usage: string): Command {
  return {
    name,
    summary,
    usage,
    async run() {
      throw new Error(`"${name}" is not available in this build yet`);
    },
  };
}
