/**
 * The one-line build-cache prompt of the actions screen, as a pure reducer: the
 * operator types "24h", "7d", "keep 5GB" or "all" and Enter applies it; Esc keeps
 * the current choice. A value that does not parse stays in the prompt with its hint.
 */
import {parseBuildCacheInput, type BuildCacheFilter} from '../../domain/build-cache-filter.js';
import {formatError, OperatorError} from '../../domain/operator-error.js';
import {commandIn} from '../keymap.js';
import type {ConfirmKey} from './confirm-state.js';

export interface CacheFilterPrompt {
	input: string;
	error: string | null;
}

export type CacheFilterResult = {prompt: CacheFilterPrompt} | {applied: BuildCacheFilter} | {cancelled: true};

const printable = (input: string) => [...input].filter(ch => ch >= ' ' && ch !== '\x7f').join('');

export function cacheFilterKey(prompt: CacheFilterPrompt, input: string, key: ConfirmKey): CacheFilterResult {
	const command = commandIn(['prompt'], input, key);
	if (command === 'cancel') return {cancelled: true};
	if (command === 'submit') {
		const parsed = parseBuildCacheInput(prompt.input);
		return parsed.ok ? {applied: parsed.value} : {prompt: {...prompt, error: formatError(new OperatorError(parsed.error, {hint: parsed.hint}))}};
	}
	if (command === 'erase') return {prompt: {input: [...prompt.input].slice(0, -1).join(''), error: null}};
	if (key.ctrl || key.meta) return {prompt};
	const text = printable(input);
	return {prompt: text ? {input: (prompt.input + text).slice(0, 32), error: null} : prompt};
}
