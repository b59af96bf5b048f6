/**
 * A streaming tar reader (ustar, pax and GNU long names): push chunks in, get each entry's
 * header and its body in pieces. Names stay raw bytes. Only what image exports need.
 */

export interface TarHeader {
	/** Raw path bytes (pax "path" or GNU long name when present). */
	name: Buffer;
	/** Typeflag: '0' file, '1' hard link, '2' symlink, '5' directory, … */
	type: string;
	size: number;
	linkName: Buffer;
}

export interface TarSink {
	data(chunk: Buffer): void;
	end(): void;
}

const BLOCK = 512;

function octal(field: Buffer): number {
	if (field[0]! & 0x80) {
		// base-256 (GNU) for values beyond 8 GiB
		let value = 0;
		for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
		return value;
	}
	const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
	return text === '' ? 0 : Number.parseInt(text, 8);
}

const cstring = (field: Buffer) => {
	const end = field.indexOf(0);
	return Buffer.from(end < 0 ? field : field.subarray(0, end));
};

function parsePax(body: Buffer): Map<string, Buffer> {
	const out = new Map<string, Buffer>();
	let i = 0;
	while (i < body.length) {
		const space = body.indexOf(0x20, i);
		if (space < 0) break;
		const length = Number.parseInt(body.toString('latin1', i, space), 10);
		if (!(length > 0)) break;
		const record = body.subarray(space + 1, i + length - 1);
		const eq = record.indexOf(0x3d);
		if (eq > 0) out.set(record.toString('latin1', 0, eq), Buffer.from(record.subarray(eq + 1)));
		i += length;
	}
	return out;
}

export const isTarHeader = (block: Buffer) => block.length >= BLOCK && block.toString('latin1', 257, 262) === 'ustar';

export class TarReader {
	private pending: Buffer[] = [];
	private pendingBytes = 0;
	/** Body bytes left of the current entry, then its padding. */
	private body = 0;
	private padding = 0;
	private sink: TarSink | null = null;
	private meta: {kind: 'pax' | 'longName' | 'longLink'; parts: Buffer[]} | null = null;
	private pax = new Map<string, Buffer>();
	private longName: Buffer | null = null;
	private longLink: Buffer | null = null;
	private done = false;

	constructor(private readonly onEntry: (header: TarHeader) => TarSink | null) {}

	push(chunk: Buffer): void {
		let offset = 0;
		while (offset < chunk.length && !this.done) {
			if (this.body > 0) {
				const n = Math.min(this.body, chunk.length - offset);
				const piece = chunk.subarray(offset, offset + n);
				if (this.meta) this.meta.parts.push(Buffer.from(piece));
				else this.sink?.data(piece);
				this.body -= n;
				offset += n;
				if (this.body === 0) this.finishBody();
				continue;
			}
			if (this.padding > 0) {
				const n = Math.min(this.padding, chunk.length - offset);
				this.padding -= n;
				offset += n;
				continue;
			}
			const need = BLOCK - this.pendingBytes;
			const n = Math.min(need, chunk.length - offset);
			this.pending.push(chunk.subarray(offset, offset + n));
			this.pendingBytes += n;
			offset += n;
			if (this.pendingBytes === BLOCK) {
				const block = Buffer.concat(this.pending);
				this.pending = [];
				this.pendingBytes = 0;
				this.header(block);
			}
		}
	}

	private header(block: Buffer): void {
		if (block.every(b => b === 0)) {
			this.done = true;
			return;
		}
		const type = String.fromCharCode(block[156]!) || '0';
		const size = octal(block.subarray(124, 136));
		this.body = size;
		this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
		if (type === 'x' || type === 'L' || type === 'K') {
			this.meta = {kind: type === 'x' ? 'pax' : type === 'L' ? 'longName' : 'longLink', parts: []};
			if (size === 0) this.finishBody();
			return;
		}
		if (type === 'g') {
			this.sink = null; // global pax headers: skipped
			if (size === 0) this.finishBody();
			return;
		}
		const prefix: Buffer = block.toString('latin1', 257, 262) === 'ustar' ? cstring(block.subarray(345, 500)) : Buffer.alloc(0);
		let name: Buffer = cstring(block.subarray(0, 100));
		if (prefix.length > 0) name = Buffer.concat([prefix, Buffer.from('/'), name]);
		let linkName: Buffer = cstring(block.subarray(157, 257));
		if (this.longName) name = this.longName;
		if (this.longLink) linkName = this.longLink;
		if (this.pax.has('path')) name = this.pax.get('path')!;
		if (this.pax.has('linkpath')) linkName = this.pax.get('linkpath')!;
		if (this.pax.has('size')) {
			this.body = Number(this.pax.get('size')!.toString('latin1'));
			this.padding = (BLOCK - (this.body % BLOCK)) % BLOCK;
		}
		this.pax = new Map();
		this.longName = null;
		this.longLink = null;
		this.sink = this.onEntry({name, type: type === '\0' ? '0' : type, size: this.body, linkName});
		if (this.body === 0) this.finishBody();
	}

	private finishBody(): void {
		if (this.meta) {
			const body = Buffer.concat(this.meta.parts);
			if (this.meta.kind === 'pax') this.pax = parsePax(body);
			else if (this.meta.kind === 'longName') this.longName = cstring(body);
			else this.longLink = cstring(body);
			this.meta = null;
			return;
		}
		this.sink?.end();
		this.sink = null;
	}
}
