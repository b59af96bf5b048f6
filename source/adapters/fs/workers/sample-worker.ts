/** Worker-thread entry of the sampler (services/sample-worker-client.ts): one LayerSampler per client of the thread. */
import {parentPort, workerData} from 'node:worker_threads';
import {collectEvery} from '../../full-collection.js';
import {threadHeap} from '../../thread-heap.js';
import {LayerSampler} from '../layer-sampler.js';
import type {WorkerSettings} from '../worker-script.js';

if (parentPort) {
	const port = parentPort;
	const settings = (workerData ?? {}) as WorkerSettings;
	if (settings.collectEveryMs) collectEvery(settings.collectEveryMs);
	// One LayerSampler per client of this thread (services/sample-worker-client.ts `share`).
	const samplers = new Map<number, LayerSampler>();
	const samplerOf = (owner = 0) => samplers.get(owner) ?? samplers.set(owner, new LayerSampler()).get(owner)!;
	port.on('message', (msg: {id: number; type?: string; root?: string; owner?: number} & Parameters<LayerSampler['sample']>[0]) => {
		let result: unknown;
		try {
			if (msg.type === 'forget') result = {forgotten: samplers.delete(msg.owner ?? 0)};
			else result = msg.type === 'index' ? samplerOf(msg.owner).index(msg.root!) : samplerOf(msg.owner).sample(msg);
		} catch (err) {
			result = {error: String((err as Error)?.message ?? err)};
		}
		// This thread's V8 heap with every answer: its memory is the exporter's too (layerscope_exporter_heap_bytes).
		port.postMessage({id: msg.id, result, heap: threadHeap()});
	});
}
