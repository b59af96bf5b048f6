/** Worker-thread entry of WalkPool: sizes one tree per message (size-tree.ts). */
import {parentPort} from 'node:worker_threads';
import {sizeTree} from '../size-tree.js';

if (parentPort) {
	const port = parentPort;
	port.on('message', (msg: {id: number; root: string}) => {
		let result: unknown;
		try {
			result = sizeTree(msg.root);
		} catch (err) {
			result = {error: String((err as Error)?.message ?? err)};
		}
		port.postMessage({id: msg.id, result});
	});
}
