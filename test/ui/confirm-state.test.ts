import {describe, expect, it} from 'vitest';
import {confirmReducer, initialConfirm, type ConfirmState} from '../../source/ui/state/confirm-state.js';

const type = (state: ConfirmState, text: string) => confirmReducer(state, {input: text, key: {}});
const enter = (state: ConfirmState) => confirmReducer(state, {input: '', key: {return: true}});
const esc = (state: ConfirmState) => confirmReducer(state, {input: '', key: {escape: true}});

describe('confirmation reducer', () => {
	it('simple: y or Enter confirms, n or Esc cancels, other keys do nothing', () => {
		const s = initialConfirm('simple', 'delete 2');
		expect(type(s, 'y').status).toBe('confirmed');
		expect(enter(s).status).toBe('confirmed');
		expect(type(s, 'n').status).toBe('cancelled');
		expect(esc(s).status).toBe('cancelled');
		expect(type(s, 'j')).toBe(s);
	});

	it('typed: only the exact word confirms; a wrong text is rejected with a message', () => {
		let s = initialConfirm('typed', 'delete 3');
		s = enter(s);
		expect(s.status).toBe('pending');
		expect(s.error).toContain('nothing typed');
		s = enter(type(s, 'delete 2'));
		expect(s.status).toBe('pending');
		expect(s.error).toBe('"delete 2" does not match: type exactly "delete 3" to confirm, or Esc to cancel');
		s = confirmReducer(s, {input: '', key: {backspace: true}});
		expect(s.input).toBe('delete ');
		expect(s.error).toBeNull();
		s = enter(type(s, '3'));
		expect(s.status).toBe('confirmed');
	});

	it('typed: y is text, control bytes never reach the input, Esc cancels at any point', () => {
		let s = initialConfirm('typed', 'delete 1');
		s = type(s, 'y');
		expect(s.status).toBe('pending');
		expect(s.input).toBe('y');
		s = type(s, '\x1b[31m\x07');
		expect(s.input).toBe('y[31m');
		expect(esc(s).status).toBe('cancelled');
	});

	it('disabled (read-only): nothing confirms it, Esc leaves', () => {
		let s = initialConfirm('disabled', 'delete 1', 'read-only mode (--read-only): nothing can be removed; this is what would happen');
		for (const text of ['y', 'delete 1']) s = enter(type(s, text));
		expect(s.status).toBe('pending');
		expect(s.input).toBe('');
		expect(s.error).toContain('read-only mode');
		expect(esc(s).status).toBe('cancelled');
	});

	it('after a decision, further keys change nothing', () => {
		const done = type(initialConfirm('simple', 'delete 1'), 'y');
		expect(esc(done)).toBe(done);
	});
});
