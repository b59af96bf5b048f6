/**
 * A child's stdout of NUL-terminated records (`find -printf '…\0'`) cut into whole records:
 * each goes to `onRecord(buf, start, end)`, `end` at its NUL; a record split across chunks is
 * joined first. What `onRecord` throws is thrown by `push` (the caller stops the child).
 */
export class NulRecords {
	private rest: Buffer | null = null;

	/** Without `onRecord`, a subclass overrides `record` (one call target for every instance: no deoptimisation when several parse at once). */
	constructor(private readonly onRecord?: (buf: Buffer, start: number, end: number) => void) {}

	/** One record, buf[start, end) without its NUL. */
	protected record(buf: Buffer, start: number, end: number): void {
		this.onRecord!(buf, start, end);
	}

	push(data: Buffer): void {
		let pos = 0;
		if (this.rest) {
			const end = data.indexOf(0);
			if (end < 0) {
				this.rest = Buffer.concat([this.rest, data]);
				return;
			}
			const joined = Buffer.concat([this.rest, data.subarray(0, end)]);
			this.rest = null;
			this.record(joined, 0, joined.length);
			pos = end + 1;
		}
		for (;;) {
			const end = data.indexOf(0, pos);
			if (end < 0) break;
			this.record(data, pos, end);
			pos = end + 1;
		}
		if (pos < data.length) this.rest = Buffer.from(data.subarray(pos));
	}

	/** A record began and its NUL never came (the output was cut). */
	get unfinished(): boolean {
		return this.rest !== null;
	}
}
