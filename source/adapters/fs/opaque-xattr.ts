/**
 * Reads overlayfs' "trusted.overlay.opaque" xattr of many directories at once. Node has no
 * getxattr and native add-ons are off the table, so this asks GNU tar (essential on
 * Debian/Ubuntu/RHEL) to archive the bare directory entries with their trusted.overlay.*
 * xattrs and parses the pax headers of that stream. One tar process per call: walkers collect
 * every candidate directory and call this once per walk, in chunks of at most CHUNK paths. The
 * walkers' call does not block the thread, so the copy-up content comparison runs meanwhile.
 */
import {spawn, spawnSync} from 'node:child_process';
import type {OpaqueCandidate} from './dir-aggregator.js';
import {programPath} from './programs.js';
import {listDir, text, under} from './raw-names.js';
import type {HiddenDeletes} from './tree-assembly.js';
import type {WalkRules} from './walk-rules.js';

const CHUNK = 16_384;

const tarArgs = ['--format=posix', '--xattrs', '--xattrs-include=trusted.overlay.opaque', '--no-recursion', '--no-unquote', '--absolute-names', '--null', '-T', '-', '-cf', '-'];

export interface OpaqueState {
	available: boolean;
	reason: string;
}

function parsePax(buf: Buffer): Record<string, string> {
	const out: Record<string, string> = {};
	let i = 0;
	while (i < buf.length) {
		const sp = buf.indexOf(0x20, i);
		if (sp < 0) break;
		const len = parseInt(buf.toString('latin1', i, sp), 10);
		if (!(len > 0)) break;
		const rec = buf.subarray(sp + 1, i + len - 1);
		const eq = rec.indexOf(0x3d);
		if (eq > 0) out[rec.toString('latin1', 0, eq)] = rec.toString('latin1', eq + 1);
		i += len;
	}
	return out;
}

function field(h: Buffer, start: number, len: number): string {
	const raw = h.subarray(start, start + len);
	const nul = raw.indexOf(0);
	return raw.toString('latin1', 0, nul < 0 ? len : nul);
}

/** Indexes (into `paths`, absolute) of the opaque directories. A tar failure marks `state` unavailable. */
export function readOpaque(paths: ReadonlyArray<string | Uint8Array>, state: OpaqueState): Set<number> {
	const found = new Set<number>();
	for (let start = 0; start < paths.length && state.available; start += CHUNK) {
		const tar = tarOf(state);
		if (!tar) break;
		const chunk = chunkInput(paths.slice(start, start + CHUNK));
		const r = spawnSync(tar, tarArgs, {input: chunk.input, maxBuffer: 1 << 30});
		const out = tarOutput(r.error, r.status, r.stdout, state);
		if (out) for (const i of parseTar(out, chunk.want)) found.add(start + i);
	}
	return found;
}

interface TarRun {
	/** Gives the started tar some of its paths (stdin) now: it reads them as they come. */
	write(input: Buffer): void;
	/** Gives the started tar the rest of its paths (stdin) and waits for its archive. */
	feed(input: Buffer): Promise<{error?: Error; status: number | null; stdout: Buffer}>;
	/** Tells the started tar it has all its paths (feed then gives nothing more). */
	end(): void;
	cancel(): void;
}

/** A tar started now, waiting on stdin for its paths. */
function startTar(tar: string): TarRun {
	let settle: (r: {error?: Error; status: number | null; stdout: Buffer}) => void = () => {};
	const result = new Promise<{error?: Error; status: number | null; stdout: Buffer}>(resolve => (settle = resolve));
	const parts: Buffer[] = [];
	let done = false;
	const finish = (error: Error | undefined, status: number | null) => {
		if (done) return;
		done = true;
		settle({error, status, stdout: Buffer.concat(parts)});
	};
	let child: ReturnType<typeof spawn> | null = null;
	try {
		child = spawn(tar, tarArgs, {stdio: ['pipe', 'pipe', 'ignore']});
		child.stdout!.on('data', (d: Buffer) => parts.push(d));
		child.stdin!.on('error', () => {});
		// A tar that could not start may never close: its error settles the run.
		child.on('error', error => finish(error, null));
		child.on('close', status => finish(undefined, status));
	} catch (error) {
		finish(error as Error, null);
	}
	return {
		write: input => {
			if (child?.stdin && !child.stdin.writableEnded) child.stdin.write(input);
		},
		feed: input => {
			if (child?.stdin && !child.stdin.writableEnded && !child.stdin.destroyed) child.stdin.end(input);
			else if (input.length > 0) finish(new Error('tar was given more paths after its last'), null);
			return result;
		},
		end: () => {
			const stdin = child?.stdin;
			if (!stdin || stdin.writableEnded || stdin.destroyed) return;
			// Everything written: closing the pipe now (destroy closes it at once; end() waits for
			// the event loop, which the caller may keep busy) lets tar finish meanwhile.
			if (stdin.writableLength === 0) stdin.destroy();
			else stdin.end();
		},
		cancel: () => {
			child?.kill('SIGKILL');
		},
	};
}

/** readOpaque without blocking the thread: the tar processes run while the event loop goes on (one at a time). */
export async function readOpaqueAsync(paths: ReadonlyArray<string | Uint8Array>, state: OpaqueState, started?: OpaqueReader): Promise<Set<number>> {
	const found = new Set<number>();
	for (let start = 0; start < paths.length && state.available; start += CHUNK) {
		const run = start === 0 && started?.run ? started.run : null;
		const tar = run ? null : tarOf(state);
		if (!run && !tar) break;
		// The started tar may have its first paths already (OpaqueReader.write).
		const chunk = chunkInput(paths.slice(start, start + CHUNK), run ? started!.written : 0);
		const r = await (run ?? startTar(tar!)).feed(chunk.input);
		const out = tarOutput(r.error, r.status, r.stdout, state);
		if (out) for (const i of parseTar(out, chunk.want)) found.add(start + i);
	}
	return found;
}

/**
 * A tar started ahead of readOpaqueAsync (while the process is still small: a fork costs more
 * once the heap has grown), for its first chunk. `close()` stops it when it was not used.
 */
export interface OpaqueReader {
	run: TarRun | null;
	/** How many of readOpaqueAsync's first paths it was given ahead (`write`), in that order. */
	written: number;
	/** Gives the started tar the next path now (at most CHUNK): it works while the caller goes on. */
	write(path: Uint8Array): void;
	/**
	 * There are no more paths: when the started tar has them all (`count` at most CHUNK), it is
	 * told so now and finishes while the caller goes on; readOpaqueAsync then only waits for it.
	 */
	end(count: number): void;
	close(): void;
}

export function startOpaqueReader(): OpaqueReader {
	const tar = programPath('tar');
	const run = tar ? startTar(tar) : null;
	const reader: OpaqueReader = {
		run,
		written: 0,
		write: path => {
			if (!run || reader.written >= CHUNK) return;
			reader.written++;
			run.write(Buffer.concat([path, Buffer.alloc(1)]));
		},
		end: count => {
			if (count === reader.written) run?.end();
		},
		close: () => run?.cancel(),
	};
	return reader;
}

function tarOf(state: OpaqueState): string | null {
	const tar = programPath('tar');
	if (!tar) Object.assign(state, {available: false, reason: 'tar not found on PATH'});
	return tar;
}

/** tar's stdin (NUL-separated paths from `given` on: tar has those before) and each path's index by its latin1 text. */
function chunkInput(paths: ReadonlyArray<string | Uint8Array>, given = 0): {input: Buffer; want: Map<string, number>} {
	const want = new Map<string, number>();
	const parts: Buffer[] = [];
	paths.forEach((p, i) => {
		const b = Buffer.from(p);
		want.set(b.toString('latin1'), i);
		if (i >= given) parts.push(b, Buffer.alloc(1));
	});
	return {input: Buffer.concat(parts), want};
}

/** tar's archive, or null after marking `state` unavailable (status 2: some paths vanished, the rest is there). */
function tarOutput(error: Error | undefined, status: number | null, stdout: Buffer | null | undefined, state: OpaqueState): Buffer | null {
	if (error || (status !== 0 && status !== 2) || !stdout) {
		const code = (error as NodeJS.ErrnoException | undefined)?.code;
		Object.assign(state, {available: false, reason: error ? String(code ?? error.message) : `tar exited ${status}`});
		return null;
	}
	return stdout;
}

/** Indexes (in `want`) of the entries whose pax headers carry trusted.overlay.opaque=y. */
function parseTar(out: Buffer, want: ReadonlyMap<string, number>): Set<number> {
	const found = new Set<number>();
	let off = 0;
	let pax: Record<string, string> | null = null;
	while (off + 512 <= out.length && out[off] !== 0) {
		const h = out.subarray(off, off + 512);
		const size = parseInt(field(h, 124, 12).trim() || '0', 8) || 0;
		const type = String.fromCharCode(h[156]!);
		const data = off + 512;
		if (type === 'x') pax = parsePax(out.subarray(data, data + size));
		else if (type !== 'g') {
			const prefix = field(h, 345, 155);
			let name = pax?.path !== undefined ? pax.path : prefix ? prefix + '/' + field(h, 0, 100) : field(h, 0, 100);
			if (pax?.['SCHILY.xattr.trusted.overlay.opaque'] === 'y') {
				while (name.length > 1 && name.endsWith('/')) name = name.slice(0, -1);
				const at = want.get(name);
				if (at !== undefined) found.add(at);
			}
			pax = null;
		}
		off = data + Math.ceil(size / 512) * 512;
	}
	return found;
}

/**
 * After a walk: the opaque directories among `candidates` (one tar per CHUNK directories) and,
 * for each, the lower entries it hides (D). `root`: the upper dir.
 */
export async function findHiddenDeletes(root: string, candidates: readonly OpaqueCandidate[], rules: WalkRules, state: OpaqueState): Promise<HiddenDeletes[]> {
	if (candidates.length === 0) return [];
	const out: HiddenDeletes[] = [];
	for (const i of await readOpaqueAsync(
		candidates.map(c => under(root, c.rel)),
		state,
	)) {
		const c = candidates[i]!;
		let names: Array<string | Buffer>;
		try {
			names = listDir(under(root, c.rel));
		} catch {
			continue; // gone since the walk
		}
		const deletes = rules.hiddenDeletes(c.rel, c.lowers, new Set(names.map(text)));
		if (deletes.length > 0) out.push({key: c.key, deletes});
	}
	return out;
}
