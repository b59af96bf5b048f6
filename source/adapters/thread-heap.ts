import {getHeapSpaceStatistics, getHeapStatistics} from 'node:v8';

/** One thread's V8 heap, in bytes. */
export interface ThreadHeap {
	used: number;
	/** Reserved by V8. */
	total: number;
	/** The young generation's reserved size (V8's new space), part of `total`. */
	young: number;
	/** Memory outside the heap that this thread's JavaScript objects hold (buffers). */
	external: number;
}

/** The calling thread's heap (the exporter's service thread, and each walker thread with its answers). No /proc read. */
export function threadHeap(): ThreadHeap {
	const heap = getHeapStatistics();
	const young = getHeapSpaceStatistics().find(space => space.space_name === 'new_space')?.space_size ?? 0;
	return {used: heap.used_heap_size, total: heap.total_heap_size, young, external: heap.external_memory};
}
