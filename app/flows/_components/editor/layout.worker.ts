// Lays out topologies off the main thread (see layout.ts): the editor stays responsive while a large flow
// is re-laid out on every change.
import { type LayoutRequest, layoutGraph } from "./layout";

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  try {
    self.postMessage(layoutGraph(event.data));
  } catch (error) {
    self.postMessage({ seq: event.data.seq, error: error instanceof Error ? error.message : String(error) });
  }
};
