/**
 * The redesign finding for metadata-only copy-ups: one per image whose containers copied up
 * image files for their owner, mode or times alone (a `chown -R` at start, say). Every container
 * of that image pays again, so the finding gives the bytes per container and the total over all
 * of them, and the Dockerfile change. Pure.
 */
import {bytes as fmt} from './format.js';
import type {ContainerRecord} from './types.js';

/** What one drilled container copied up for metadata alone (from its drill's summary). */
export interface ContainerMetadataCopyUp {
	files: number;
	bytes: number;
	cause: string;
	/** Files per change (owner, mode, time) and the most common new owner ("uid:gid"). */
	owner: number;
	mode: number;
	time: number;
	topOwner?: string;
	confirmed: number;
	inferred: number;
}

export interface MetadataCopyUpFinding {
	subject: string;
	bytes: number;
	title: string;
	reason: string;
	change: string;
	metadataCopyUp: {
		image: string;
		/** The likely cause, as the drill names it. */
		cause: string;
		files: number;
		/** The largest measured container's bytes: what each container of the image pays. */
		perContainerBytes: number;
		/** Containers of the image on this engine, and how many were drilled. */
		containers: number;
		measured: number;
		/** Drilled containers' bytes, plus the per-container figure for each container not drilled. */
		totalBytes: number;
		changed: Array<'owner' | 'mode' | 'time'>;
	};
}

const num = (n: number) => n.toLocaleString('en-US');

/** The Dockerfile change for what changed (ownership first: the commonest). */
export function metadataCopyUpFix(changed: ReadonlyArray<'owner' | 'mode' | 'time'>, owner?: string): string {
	const parts: string[] = [];
	const who = owner ?? 'UID:GID';
	if (changed.includes('owner')) parts.push(`set ownership at build time (COPY --chown=${who}, or chown in the same RUN that creates the files), or run as the owning user (USER ${who.split(':')[0]})`);
	if (changed.includes('mode')) parts.push('set modes at build time (COPY --chmod, or chmod in the same RUN that creates the files)');
	if (changed.includes('time')) parts.push('do not touch image files at start (anything that needs new times belongs in the build)');
	parts.push('keep trees the container must change on a volume; never chown/chmod -R (or touch) image files at container start');
	return parts.join('; ');
}

/** What changed on at least half of one container's files (else all that changed). */
function dominant(m: ContainerMetadataCopyUp): Array<'owner' | 'mode' | 'time'> {
	const kinds = (['owner', 'mode', 'time'] as const).filter(k => m[k] > 0 && m[k] >= m.files / 2);
	return kinds.length > 0 ? kinds : (['owner', 'mode', 'time'] as const).filter(k => m[k] > 0);
}

/**
 * One finding per image, largest total first. `classes`: the drilled containers (one without a
 * metadataCopyUp copied up nothing that way). Images whose containers copied up less than
 * minBytes each are left out. Containers of the image that were not drilled are counted at the
 * largest measured figure (the total then says "about").
 */
export function metadataCopyUpAdvice(containers: readonly ContainerRecord[], classes: ReadonlyArray<{containerId: string; metadataCopyUp?: ContainerMetadataCopyUp}>, minBytes: number): MetadataCopyUpFinding[] {
	const imageOf = (c: ContainerRecord) => c.imageId || c.image;
	const drilled = new Map(classes.map(c => [c.containerId, c.metadataCopyUp]));
	const byImage = new Map<string, Array<{container: ContainerRecord; m: ContainerMetadataCopyUp}>>();
	for (const container of containers) {
		const m = drilled.get(container.id);
		if (!m || m.bytes < minBytes) continue;
		const list = byImage.get(imageOf(container));
		if (list) list.push({container, m});
		else byImage.set(imageOf(container), [{container, m}]);
	}
	const out: MetadataCopyUpFinding[] = [];
	for (const [key, found] of byImage) {
		found.sort((a, b) => b.m.bytes - a.m.bytes);
		const {container, m} = found[0]!;
		const all = containers.filter(c => imageOf(c) === key);
		const measuredAll = all.filter(c => drilled.has(c.id));
		const unmeasured = all.length - measuredAll.length;
		const total = measuredAll.reduce((t, c) => t + (drilled.get(c.id)?.bytes ?? 0), 0) + unmeasured * m.bytes;
		const changed = (['owner', 'mode', 'time'] as const).filter(k => found.some(x => dominant(x.m).includes(k)));
		const owner = found.find(x => x.m.topOwner)?.m.topOwner;
		const image = container.image || key;
		const others = all.length > 1 ? `; ${all.length} containers of ${image} on this engine: ${unmeasured > 0 ? 'about ' : ''}${fmt(total)} in all (each container pays again)` : `; each new container of ${image} pays it again`;
		out.push({
			subject: container.name,
			bytes: total,
			title: 'Image files copied up for metadata alone',
			reason: `${m.cause}: ${num(m.files)} files, ${fmt(m.bytes)} copied up in ${container.name} with unchanged content${others}`,
			change: metadataCopyUpFix(changed, owner),
			metadataCopyUp: {image, cause: m.cause, files: m.files, perContainerBytes: m.bytes, containers: all.length, measured: measuredAll.length, totalBytes: total, changed},
		});
	}
	return out.sort((a, b) => b.bytes - a.bytes);
}
