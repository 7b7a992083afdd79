/** Asserting on the Status a cluster answers with, the way upstream tests check `apierrors.IsX`. */
import { isStatusError } from '../../src/status.ts';

/** Resolves with the StatusError when `work` fails with `code`; throws otherwise. */
export async function expectStatus(work: Promise<unknown>, code: number, messagePart?: string) {
  try {
    await work;
  } catch (err) {
    if (!isStatusError(err)) throw err;
    if (err.status.code !== code) throw new Error(`expected HTTP ${code}, got ${err.status.code}: ${err.message}`);
    if (messagePart && !err.message.includes(messagePart)) {
      throw new Error(
        `expected a message containing ${JSON.stringify(messagePart)}, got ${JSON.stringify(err.message)}`,
      );
    }
    return err;
  }
  throw new Error(`expected HTTP ${code}, but the request succeeded`);
}

export const expectNotFound = (work: Promise<unknown>) => expectStatus(work, 404);
