import {describe, expect, it} from 'vitest';
import {newDirNode, type DirNode} from '../../source/domain/file-tree.js';
import {metadataCopyUpAdvice, metadataCopyUpFix, type ContainerMetadataCopyUp} from '../../source/domain/metadata-copy-up-advice.js';
import {META_MODE, META_OWNER, META_TIME, emptyMetadataFigures, metadataChanges, metadataCopyUpRoot, metadataEvidence, summarizeMetadataCopyUps} from '../../source/domain/metadata-copy-up.js';
import type {ContainerRecord} from '../../source/domain/types.js';

/** A tree /usr/lib/python3 (3,500 files) and /etc (36 files), each directory counting its metadata-only files below. */
function tree(): Map<string, DirNode> {
	const dirs = new Map<string, DirNode>();
	const add = (key: string, parent: string | null, files: number) => {
		const d = newDirNode(key, parent, key, 'C', 'other', 4096, 9);
		d.metadataCopyUp = {files, bytes: files * 1000};
		dirs.set(key, d);
		if (parent) dirs.get(parent)!.entries.push({name: key.slice(key.lastIndexOf('/') + 1), display: key, type: 'dir', apparentBytes: 0, allocatedBytes: 0, files, inodes: files, mark: 'C', class: 'other', dirKey: key});
	};
	add('/', null, 3536);
	add('/usr', '/', 3500);
	add('/usr/lib', '/usr', 3500);
	add('/usr/lib/python3', '/usr/lib', 3500);
	add('/usr/lib/python3/a', '/usr/lib/python3', 1800);
	add('/usr/lib/python3/b', '/usr/lib/python3', 1700);
	add('/etc', '/', 36);
	return dirs;
}

const figures = (over: Partial<ReturnType<typeof emptyMetadataFigures>>) => ({...emptyMetadataFigures(128 << 20), ...over});

describe('metadata-only copy-ups', () => {
	it('names the change bits', () => {
		expect(metadataChanges(META_OWNER | META_TIME)).toEqual(['owner', 'time']);
		expect(metadataChanges(META_MODE)).toEqual(['mode']);
	});

	it('finds the directory holding at least 90% of them, and stops where they spread', () => {
		expect(metadataCopyUpRoot(tree(), '/')?.key).toBe('/usr/lib/python3');
	});

	it('says in one line what changed, on how many files, under which directory', () => {
		const f = figures({files: 3536, bytes: 3_536_000, confirmed: 3000, inferred: 536, owner: 3536, topOwner: {owner: '1000:1000', files: 3536}});
		const s = summarizeMetadataCopyUps(f, tree(), '/')!;
		expect(s.cause).toBe('ownership (to 1000:1000) changed on 3,500 files under /usr/lib/python3 (and 36 elsewhere)');
		expect(s.under).toBe('/usr/lib/python3');
		expect(metadataEvidence(s)).toBe('3,000 confirmed by content, 536 inferred from size and mtime');
		const both = summarizeMetadataCopyUps(figures({files: 3536, bytes: 1, owner: 3536, mode: 3536, time: 10}), tree(), '/')!;
		expect(both.cause).toMatch(/^ownership and mode changed on 3,500 files/);
		expect(summarizeMetadataCopyUps(figures({files: 3536, bytes: 1, time: 3536}), tree(), '/')!.cause).toMatch(/^modification time changed/);
		expect(summarizeMetadataCopyUps(figures({}), tree(), '/')).toBeNull();
	});

	it('gives the fix for what changed, never a guessed command line', () => {
		expect(metadataCopyUpFix(['owner'], '1000:1000')).toMatch(/COPY --chown=1000:1000.*same RUN.*USER 1000.*volume.*never chown\/chmod -R/);
		expect(metadataCopyUpFix(['mode'])).toMatch(/COPY --chmod/);
		expect(metadataCopyUpFix(['time'])).toMatch(/do not touch image files at start/);
	});

	it('gives one finding per image: bytes per container and the total over all its containers', () => {
		const rec = (id: string, imageId: string): ContainerRecord => ({
			engine: 'docker',
			id,
			name: `c-${id}`,
			image: `img-${imageId}`,
			imageId,
			state: 'running',
			labels: {},
			writableBytes: null,
			writableAllocatedBytes: null,
			writableInodes: null,
			sizeSource: 'walk',
			logPath: null,
			logBytes: 0,
		});
		const m = (bytes: number): ContainerMetadataCopyUp => ({files: 100, bytes, cause: 'ownership (to 1:1) changed on 100 files under /app', owner: 100, mode: 0, time: 0, topOwner: '1:1', confirmed: 100, inferred: 0});
		const containers = [rec('a', 'x'), rec('b', 'x'), rec('c', 'x'), rec('d', 'x'), rec('e', 'y')];
		// a and b copied up, c was drilled and copied up nothing, d was not drilled (counted at a's figure).
		const out = metadataCopyUpAdvice(containers, [{containerId: 'a', metadataCopyUp: m(40e6)}, {containerId: 'b', metadataCopyUp: m(30e6)}, {containerId: 'c'}, {containerId: 'e', metadataCopyUp: m(1000)}], 1 << 20);
		expect(out).toHaveLength(1);
		expect(out[0]).toMatchObject({subject: 'c-a', bytes: 110e6, metadataCopyUp: {image: 'img-x', perContainerBytes: 40e6, containers: 4, measured: 3, totalBytes: 110e6, changed: ['owner']}});
		expect(out[0]!.reason).toContain('4 containers of img-x on this engine: about 110 MB in all');
		expect(out[0]!.change).toContain('COPY --chown=1:1');
	});
});
