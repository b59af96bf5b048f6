import {createHash} from 'node:crypto';
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/**
 * A docker-archive holding `count` distinct images (distinct configs) that share one tiny
 * layer, so `docker load` makes thousands of real images in seconds. Returns the tar path.
 */
export function manyImagesArchive(count: number, prefix: string): string {
	const dir = mkdtempSync(join(tmpdir(), 'ls-many-'));
	const layerDir = join(dir, 'layer-src');
	mkdirSync(join(layerDir, 'data'), {recursive: true});
	writeFileSync(join(layerDir, 'data', 'hello.txt'), 'hello\n');
	const out = join(dir, 'archive');
	mkdirSync(join(out, 'layer'), {recursive: true});
	execFileSync('tar', ['--numeric-owner', '-C', layerDir, '-cf', join(out, 'layer', 'layer.tar'), '.']);
	const diffId = `sha256:${sha(execFileSync('cat', [join(out, 'layer', 'layer.tar')]))}`;
	const manifest = [];
	for (let i = 0; i < count; i++) {
		const config = JSON.stringify({
			architecture: 'amd64',
			os: 'linux',
			created: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)).toISOString(),
			config: {Labels: {'layerscope.test.many': String(i)}, Cmd: ['/bin/true']},
			rootfs: {type: 'layers', diff_ids: [diffId]},
			history: [{created_by: `synthetic image ${i}`}],
		});
		const name = `${sha(config)}.json`;
		writeFileSync(join(out, name), config);
		manifest.push({Config: name, RepoTags: i % 2 === 0 ? [`${prefix}:${i}`] : [], Layers: ['layer/layer.tar']});
	}
	writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest));
	const tar = join(dir, 'many.tar');
	execFileSync('tar', ['-C', out, '-cf', tar, '.']);
	rmSync(out, {recursive: true, force: true});
	rmSync(layerDir, {recursive: true, force: true});
	return tar;
}
