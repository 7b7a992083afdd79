/**
 * Test helper: retries `check` until it passes, polling every 10 ms. Used where another component
 * (an informer, a controller) catches up in its own time; there is no fixed sleep and no timed assertion.
 */
export async function eventually(check: () => void | Promise<void>, attempts = 1000): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await check();
      return;
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
