// Parses Mermaid diagrams with mermaid itself (what GitHub renders them with), in a jsdom
// window since mermaid needs a DOM to load. Reads a JSON array of diagram sources on stdin and
// writes a JSON array of { ok, error } in the same order. ESM-only mermaid cannot be loaded by
// the CommonJS test runner, hence a child process.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const source of JSON.parse(input)) {
  try {
    await mermaid.parse(source);
    results.push({ ok: true });
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error).split('\n').slice(0, 4).join('\n') });
  }
}
process.stdout.write(JSON.stringify(results));
