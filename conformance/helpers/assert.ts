/**
 * node:assert/strict, except that `ok` (and calling `assert` itself) must be given a message.
 *
 * Without one, node builds the message by reading the calling file from disk and re-parsing it to quote
 * the failed expression. Under tsx the file on disk is not the code that runs, and that search spun one
 * core for five minutes inside a polling loop, stalling every concurrent test with it (seen in CI).
 */
import nodeAssert from 'node:assert/strict';

type Strict = typeof nodeAssert;

export interface Assert extends Omit<Strict, 'ok'> {
  (value: unknown, message: string | Error): asserts value;
  ok(value: unknown, message: string | Error): asserts value;
}

const assert: Assert = nodeAssert as unknown as Assert;
export default assert;
