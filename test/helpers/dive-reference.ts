/**
 * dive's figures re-computed independently from `docker save` output, the naive way:
 * a whole-file tar walk, one Map per stacked layer, prefix scans. Written from dive's
 * definitions (dive/filetree/efficiency.go, dive/image/analysis.go), not from the product's code.
 */
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

interface TarItem {
	name: string;
	type: string;
	size: number;
	body: Buffer;
}

function readTar(buf: Buffer): TarItem[] {
	const items: TarItem[] = [];
	let off = 0;
	let paxPath: string | null = null;
	let longName: string | null = null;
	while (off + 512 <= buf.length) {
		const h = buf.subarray(off, off + 512);
		if (h.every(b => b === 0)) break;
		const str = (a: number, b: number) => h.toString('utf8', a, b).replace(/\0.*$/s, '');
		const size = Number.parseInt(str(124, 136).trim() || '0', 8);
		const type = str(156, 157) || '0';
		let name = str(0, 100);
		const prefix = h.toString('latin1', 257, 262) === 'ustar' ? str(345, 500) : '';
		if (prefix) name = `${prefix}/${name}`;
		const body = buf.subarray(off + 512, off + 512 + size);
		off += 512 + Math.ceil(size / 512) * 512;
		if (type === 'x') {
			const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
			paxPath = m ? m[1]! : null;
			continue;
		}
		if (type === 'L') {
			longName = body.toString('utf8').replace(/\0.*$/s, '');
			continue;
		}
		if (type === 'g') continue;
		items.push({name: longName ?? paxPath ?? name, type, size, body});
		paxPath = null;
		longName = null;
	}
	return items;
}

interface RefNode {
	path: string;
	isDir: boolean;
	size: number;
	whiteout: boolean;
}

export interface DiveReference {
	layerSizes: number[];
	efficiency: number;
	wastedBytes: number;
	userWastedPercent: number;
	/** path -> [count, cumulative] for paths seen twice or more. */
	inefficient: Map<string, [number, number]>;
}

const norm = (name: string) =>
	'/' +
	name
		.split('/')
		.filter(p => p && p !== '.')
		.join('/');

export function diveReference(dockerHost: string, image: string): DiveReference {
	const dir = mkdtempSync(join(tmpdir(), 'ls-dive-ref-'));
	try {
		const file = join(dir, 'image.tar');
		execFileSync('/usr/bin/docker', ['save', '-o', file, image], {env: {...process.env, DOCKER_HOST: dockerHost}});
		const outer = readTar(readFileSync(file));
		const byName = new Map(outer.map(i => [norm(i.name).slice(1), i]));
		const manifest = JSON.parse(byName.get('manifest.json')!.body.toString('utf8'))[0] as {Layers: string[]};
		const layers: RefNode[][] = manifest.Layers.map(name => {
			let item = byName.get(name)!;
			if (item.type === '2') item = byName.get(norm(join(name, '..', readLinkTarget(item))).slice(1))!;
			return readTar(item.body)
				.map(i => ({name: norm(i.name), type: i.type, size: i.size}))
				.filter(i => i.name !== '/' && !i.name.split('/').at(-1)!.startsWith('.wh..wh.'))
				.map(i => {
					const base = i.name.split('/').at(-1)!;
					const whiteout = base.startsWith('.wh.');
					const path = whiteout ? i.name.slice(0, i.name.length - base.length) + base.slice(4) : i.name;
					return {path: norm(path), isDir: i.type === '5', size: i.size, whiteout};
				});
		});
		const layerSizes = layers.map(l => l.reduce((t, n) => t + n.size, 0));
		const stack = new Map<string, RefNode>();
		const paths = new Map<string, {count: number; cum: number; min: number}>();
		for (const layer of layers) {
			const parents = new Set(layer.map(n => n.path.slice(0, n.path.lastIndexOf('/')) || '/'));
			for (const n of layer) {
				if (n.isDir && parents.has(n.path)) continue;
				let size = n.size;
				if (n.whiteout) {
					size = 0;
					if (stack.get(n.path)?.isDir) for (const [p, s] of stack) if (p === n.path || p.startsWith(n.path + '/')) size += s.size;
				}
				const d = paths.get(n.path) ?? {count: 0, cum: 0, min: -1};
				d.count++;
				d.cum += size;
				d.min = d.min < 0 || size < d.min ? size : d.min;
				paths.set(n.path, d);
			}
			for (const n of layer) {
				if (n.whiteout) {
					for (const p of [...stack.keys()]) if (p === n.path || p.startsWith(n.path + '/')) stack.delete(p);
				} else stack.set(n.path, n);
			}
		}
		let min = 0;
		let cum = 0;
		let wasted = 0;
		const inefficient = new Map<string, [number, number]>();
		for (const [p, d] of paths) {
			min += d.min;
			cum += d.cum;
			if (d.count >= 2) {
				wasted += d.cum;
				inefficient.set(p, [d.count, d.cum]);
			}
		}
		const user = layerSizes.slice(1).reduce((t, s) => t + s, 0);
		return {layerSizes, efficiency: cum === 0 ? 1 : min / cum, wastedBytes: wasted, userWastedPercent: user === 0 ? 0 : wasted / user, inefficient};
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

function readLinkTarget(item: TarItem): string {
	throw new Error(`layer ${item.name} is a link; this reference reader does not follow links`);
}
