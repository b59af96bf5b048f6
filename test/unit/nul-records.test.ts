import {describe, expect, it} from 'vitest';
import {NulRecords} from '../../source/adapters/fs/nul-records.js';

/** Feeds `text` (records ending in \0) in chunks cut at `cuts`, returns the records seen. */
function split(text: Buffer, cuts: number[]): {records: string[]; unfinished: boolean} {
	const records: string[] = [];
	const stream = new NulRecords((buf, start, end) => records.push(buf.toString('latin1', start, end)));
	let from = 0;
	for (const cut of [...cuts, text.length]) {
		stream.push(text.subarray(from, cut));
		from = cut;
	}
	return {records, unfinished: stream.unfinished};
}

describe('NulRecords', () => {
	const text = Buffer.from('f\t12\tone\0d\t7\t/\0\0f\t3\tthree\xff\0', 'latin1');
	const whole = ['f\t12\tone', 'd\t7\t/', '', 'f\t3\tthree\xff'];

	it('gives every record whole wherever the chunks are cut', () => {
		for (let a = 0; a <= text.length; a++) for (let b = a; b <= text.length; b++) expect(split(text, [a, b]), `cut at ${a}, ${b}`).toEqual({records: whole, unfinished: false});
	});

	it('says when the output ends inside a record', () => {
		expect(split(Buffer.from('a\0b'), [1])).toEqual({records: ['a'], unfinished: true});
	});

	it('passes what the record handler throws to the caller', () => {
		const stream = new NulRecords(() => {
			throw new Error('bad record');
		});
		expect(() => stream.push(Buffer.from('x\0'))).toThrow('bad record');
	});
});
