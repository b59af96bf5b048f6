/** Worker-thread entry of the sampler (services/sample-worker-client.ts): one LayerSampler per thread. */
import {parentPort} from 'node:worker_threads';
import {LayerSampler} from '../layer-sampler.js';

if (parentPort) {
	const port = parentPort;
	const sampler = new LayerSampler();
	port.on('message', (msg: {id: number; type?: string; root?: string} & Parameters<LayerSampler['sample']>[0]) => {
		let result: unknown;
		try {
			result = msg.type === 'index' ? sampler.index(msg.root!) : sampler.sample(msg);
		} catch (err) {
			result = {error: String((err as Error)?.message ?? err)};
		}
		port.postMessage({id: msg.id, result});
	});
}
