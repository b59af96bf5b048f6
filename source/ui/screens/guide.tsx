import {Box, Text, useInput} from 'ink';
import {useMemo, useRef, useState} from 'react';
import type {FeedState} from '../../services/console-feed.js';
import type {ConsoleServices} from '../../services/console-services.js';
import {Command, commandsIn, firstKeyFor, keysFor} from '../keymap.js';
import {layoutStep} from '../guide/guide-layout.js';
import {guideStepCount, type GuideLine, type HandOver} from '../guide/guide-model.js';
import {guideStep} from '../guide/guide-steps.js';
import {useGuideData} from '../hooks/use-guide-data.js';
import {truncate} from '../model/fit.js';
import {guideReducer, progressText, type GuideState} from '../state/guide-state.js';

export interface GuideProps {
	feed: FeedState;
	/** Drill-down and advice; without them steps 4–6 say they are unavailable. */
	services?: ConsoleServices;
	width: number;
	height: number;
	/** 1-based step to start on (the console remembers where the guide was left). */
	step?: number;
	/** Keys that open the console's actions screen, when it exists. */
	actionsKey?: string | null;
	onLeave: (step: number) => void;
	onHandOver: (target: HandOver, step: number) => void;
}

const colors: Record<GuideLine['tone'], {color?: string; dimColor?: boolean; bold?: boolean}> = {
	plain: {},
	figure: {color: 'cyan'},
	good: {color: 'green'},
	warn: {color: 'yellow'},
	bad: {color: 'red'},
	dim: {dimColor: true},
	heading: {bold: true},
};

/** The guided walkthrough: six steps on the live data of the connected node. */
export function Guide({feed, services, width, height, step: startStep = 1, actionsKey = null, onLeave, onHandOver}: GuideProps) {
	const [state, setState] = useState<GuideState>({step: startStep});
	const data = useGuideData(services, feed.snapshot, feed.growth);
	const step = useMemo(
		() =>
			guideStep(
				{
					snapshot: feed.snapshot,
					thresholds: feed.thresholds,
					growth: feed.growth,
					logGrowth: feed.logGrowth,
					intervalMs: feed.intervalMs,
					drills: data.drills,
					advice: data.advice,
					focus: data.focus,
					readOnly: services?.readOnly ?? null,
					actionsKey,
				},
				state.step,
			),
		[feed.snapshot, feed.growth, feed.logGrowth, feed.thresholds, data.drills, data.advice, data.focus, state.step, services, actionsKey],
	);

	const page = layoutStep(step, width, height, state.scroll ?? 0);
	// The input handler may be an older closure: it reads the latest state and step through refs.
	const scroll = {maxScroll: page.maxScroll, page: page.page};
	const latest = useRef({state, handOver: step.handOver, scroll});
	latest.current = {state, handOver: step.handOver, scroll};
	useInput((input, key) => {
		let current = latest.current.state;
		const start = current;
		for (const command of commandsIn(['guide'], input, key)) {
			const result = guideReducer(current, command, latest.current.handOver, latest.current.scroll);
			current = result.state;
			if (result.effect.type === 'leave') return onLeave(current.step);
			if (result.effect.type === 'handOver') return onHandOver(result.effect.target, current.step);
		}
		if (current !== start) {
			latest.current = {...latest.current, state: current};
			setState(current);
		}
	});

	const dots = '●'.repeat(state.step) + '○'.repeat(guideStepCount - state.step);
	const head = `Guide ${progressText(state)} ${dots}  `;
	const keys = [
		`${keysFor('next', 'guide')} next`,
		`${keysFor('back', 'guide')} back`,
		step.handOver ? `${firstKeyFor('open', 'guide')} open ${step.handOver.label}` : '',
		`${keysFor('leave', 'guide')} leave`,
		`${firstKeyFor(Command.Quit)} quit`,
	]
		.filter(Boolean)
		.join('  ');
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate-end">
				<Text inverse bold>
					{head}
				</Text>
				<Text bold>{truncate(` ${step.title}`, Math.max(1, width - head.length - (step.pending ? 11 : 0)))}</Text>
				{step.pending ? <Text color="cyan">{'  working…'}</Text> : null}
			</Text>
			{page.figures.map((l, i) => (
				<Text key={`f${i}`} wrap="truncate-end" {...colors[l.tone]}>
					{l.text || ' '}
				</Text>
			))}
			<Text> </Text>
			{page.explain.map((text, i) => (
				<Text key={`e${i}`} wrap="truncate-end">
					{text || ' '}
				</Text>
			))}
			<Box flexGrow={1} />
			<Text dimColor wrap="truncate-end">
				{truncate(keys, width)}
			</Text>
		</Box>
	);
}
