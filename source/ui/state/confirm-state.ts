/**
 * The confirmation prompt of a prune plan, as a pure reducer (tested without rendering).
 * Modelled on Shopify cli-kit's dangerous-confirmation prompt: for a risky plan the
 * operator types an exact word ("delete 3"); anything else is rejected with a message
 * and Esc cancels at any point. Small plans take y or Enter. In read-only mode the
 * prompt is disabled: nothing the operator types can confirm it.
 */
import {commandIn} from '../keymap.js';

export type ConfirmMode = 'simple' | 'typed' | 'disabled';
export type ConfirmStatus = 'pending' | 'confirmed' | 'cancelled';

export interface ConfirmState {
	mode: ConfirmMode;
	/** The exact text to type in `typed` mode. */
	word: string;
	input: string;
	/** One line shown under the prompt (a rejected text, or why it is disabled). */
	error: string | null;
	status: ConfirmStatus;
}

export interface ConfirmKey {
	return?: boolean;
	escape?: boolean;
	backspace?: boolean;
	delete?: boolean;
	ctrl?: boolean;
	meta?: boolean;
}

export function initialConfirm(mode: ConfirmMode, word: string, disabledReason: string | null = null): ConfirmState {
	return {mode, word, input: '', error: mode === 'disabled' ? disabledReason : null, status: 'pending'};
}

/** Printable input only: control bytes and escape sequences never land in the typed text. */
const printable = (input: string) => [...input].filter(ch => ch >= ' ' && ch !== '\x7f').join('');

export function confirmReducer(state: ConfirmState, event: {input: string; key: ConfirmKey}): ConfirmState {
	if (state.status !== 'pending') return state;
	const {input, key} = event;
	const command = commandIn(['prompt'], input, key);
	if (command === 'cancel') return {...state, status: 'cancelled'};
	if (state.mode === 'disabled') return state;
	if (state.mode === 'simple') {
		if (command === 'submit' || input === 'y' || input === 'Y') return {...state, status: 'confirmed', error: null};
		if (input === 'n' || input === 'N') return {...state, status: 'cancelled'};
		return state;
	}
	if (command === 'submit') {
		if (state.input.trim() === state.word) return {...state, status: 'confirmed', error: null};
		const typed = state.input.trim() ? `"${state.input.trim()}" does not match` : 'nothing typed';
		return {...state, error: `${typed}: type exactly "${state.word}" to confirm, or Esc to cancel`};
	}
	if (command === 'erase') return {...state, input: [...state.input].slice(0, -1).join(''), error: null};
	if (key.ctrl || key.meta) return state;
	const text = printable(input);
	return text ? {...state, input: (state.input + text).slice(0, 64), error: null} : state;
}
