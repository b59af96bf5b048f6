import {Box, Text} from 'ink';
import {sanitize} from '../../domain/sanitize.js';
import type {ConfirmState} from '../state/confirm-state.js';
import {truncate} from '../model/fit.js';
import {bytes} from '../model/formatting.js';

export interface ConfirmPromptProps {
	state: ConfirmState;
	items: number;
	totalBytes: number;
	width: number;
}

/**
 * The explicit confirmation under a plan (two lines). Typed mode shows what to type
 * and what was typed; a rejected text shows why; disabled mode shows only why.
 */
export function ConfirmPrompt({state, items, totalBytes, width}: ConfirmPromptProps) {
	const what = `remove ${items} item(s), about ${bytes(totalBytes)}`;
	if (state.mode === 'disabled') {
		return (
			<Box flexDirection="column" width={width}>
				<Text color="yellow" bold wrap="truncate-end">
					{truncate('Confirmation disabled: nothing was removed and nothing can be.', width)}
				</Text>
				<Text dimColor wrap="truncate-end">
					{truncate(`Esc back · ${sanitize(state.error) || 'read-only'}`, width)}
				</Text>
			</Box>
		);
	}
	if (state.mode === 'simple') {
		return (
			<Box flexDirection="column" width={width}>
				<Text bold color="red" wrap="truncate-end">
					{truncate(`Really ${what}?`, width)}
				</Text>
				<Text dimColor wrap="truncate-end">
					{truncate('y or Enter: remove now   n or Esc: cancel', width)}
				</Text>
			</Box>
		);
	}
	const label = `Type "${state.word}" to ${what}: `;
	return (
		<Box flexDirection="column" width={width}>
			<Text wrap="truncate-end">
				<Text bold color="red">
					{truncate(label, width)}
				</Text>
				<Text inverse>{truncate(sanitize(state.input), Math.max(0, width - label.length - 1))}</Text>
				<Text inverse> </Text>
			</Text>
			{state.error ? (
				<Text color="red" wrap="truncate-end">
					{truncate(sanitize(state.error), width)}
				</Text>
			) : (
				<Text dimColor wrap="truncate-end">
					{truncate('Enter: confirm   Esc: cancel', width)}
				</Text>
			)}
		</Box>
	);
}
