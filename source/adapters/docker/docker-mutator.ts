import type {PlanItem} from '../../domain/prune-plan.js';
import type {DockerClient} from './docker-client.js';

/**
 * The only code that asks Docker to delete anything. It is constructed solely by
 * services/mutations.ts, never in read-only mode. Every removal is by exact id, never
 * forced, and never through a broad prune filter.
 */
export class DockerMutator {
	constructor(private readonly client: DockerClient) {}

	async remove(item: PlanItem): Promise<void> {
		switch (item.kind) {
			case 'container':
				// v=false: anonymous volumes stay; they are separate plan items. force=false: a running container is refused.
				await this.client.call(`remove container ${item.id.slice(0, 12)}`, (d: any, abortSignal) => d.getContainer(item.id).remove({v: false, force: false, abortSignal}));
				return;
			case 'image':
				await this.removeImage(item.id);
				return;
			case 'volume':
				await this.client.call(`remove volume ${item.id}`, (d: any, abortSignal) => d.getVolume(item.id).remove({force: false, abortSignal}));
				return;
			case 'build-cache':
				await this.pruneCacheRecord(item.id);
				return;
		}
	}

	/** By id; an image with several tags is untagged tag by tag (the last untag deletes it), never forced. */
	private async removeImage(id: string): Promise<void> {
		const detail: any = await this.client.call('inspect image', (d: any, abortSignal) => d.getImage(id).inspect({abortSignal}));
		const tags: string[] = (detail.RepoTags ?? []).filter((t: string) => t !== '<none>:<none>');
		const refs = tags.length > 1 ? tags : [id];
		for (const ref of refs) {
			await this.client.call(`remove image ${ref}`, (d: any, abortSignal) => d.getImage(ref).remove({force: false, noprune: false, abortSignal}));
		}
	}

	/** BuildKit accepts one id per prune call; the response must name exactly that record. */
	private async pruneCacheRecord(id: string): Promise<void> {
		if (!/^[a-z0-9]+$/i.test(id)) throw new Error(`refusing to prune build cache record with unexpected id ${JSON.stringify(id)}`);
		const result: any = await this.client.call(
			`prune build cache record ${id}`,
			(d: any, abortSignal) =>
				new Promise((resolve, reject) =>
					d.modem.dial({path: '/build/prune?', method: 'POST', options: {filters: JSON.stringify({id: [id]})}, abortSignal, statusCodes: {200: true, 500: 'server error'}}, (error: Error | null, data: unknown) =>
						error ? reject(error) : resolve(data),
					),
				),
			{timeoutMs: 60_000},
		);
		const deleted: string[] = result?.CachesDeleted ?? [];
		const other = deleted.filter(d => d !== id);
		if (other.length > 0) throw new Error(`build cache prune removed unexpected records: ${other.join(', ')}`);
	}
}
