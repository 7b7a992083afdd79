/**
 * Watch responses are newline-delimited JSON: one event per line. Chunks may split a line anywhere
 * (even inside a multi-byte character), so decode as a stream and only parse complete lines.
 */
export async function* jsonLines(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncIterable<unknown> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  // Cancelling the reader ends a pending read with done, and tells the server side the watcher left.
  const onAbort = () => void reader.cancel().catch(() => {});
  signal.addEventListener('abort', onAbort, { once: true });
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += value;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) yield JSON.parse(line);
        newline = buffered.indexOf('\n');
      }
    }
    const rest = buffered.trim();
    if (rest && !signal.aborted) yield JSON.parse(rest);
  } catch (err) {
    if (!signal.aborted) throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Also reached when the consumer stops early: cancelling closes the response so the server stops.
    void reader.cancel().catch(() => {});
  }
}
