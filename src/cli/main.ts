/**
 * Entry point of `wharf` (bundled into dist/wharf.mjs). Keeps its own imports small: everything heavy
 * loads only for the command that needs it, because start-up time is part of the product.
 */
import { mainUsage, parseUpOptions, UsageError, upUsage } from './up-options.ts';

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(mainUsage);
    return command === undefined ? 2 : 0;
  }
  if (command === 'nodes') return (await import('./nodes-command.ts')).nodesCommand(rest);
  if (command !== 'up') {
    process.stderr.write(`error: unknown command "${command}"\n\n${mainUsage}`);
    return 2;
  }
  try {
    const options = parseUpOptions(rest);
    if (options.help) {
      process.stdout.write(upUsage);
      return 0;
    }
    const { runUp } = await import('./run-up.ts');
    return await runUp(options);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`error: ${err.message}\n\n${upUsage}`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
// Open handles (a stuck watch, a timer in a component) must not keep a stopped server alive.
process.exit();
