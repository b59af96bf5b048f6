import {describe, expect, it} from 'vitest';
import {commandIn, commandsIn, type KeyInfo} from '../../source/ui/keymap.js';

const guideCommandFor = (input: string, key: KeyInfo) => commandIn(['guide'], input, key);
const guideCommandsFor = (input: string, key: KeyInfo) => commandsIn(['guide'], input, key);
import type {HandOver} from '../../source/ui/guide/guide-model.js';
import {guideReducer, initialGuideState, progressText} from '../../source/ui/state/guide-state.js';

const target: HandOver = {screen: 'overview', sort: 'growth', select: null, label: 'overview by growth'};

describe('guide state', () => {
	it('walks forward and back within 1..6', () => {
		let state = initialGuideState;
		expect(progressText(state)).toBe('1/6');
		state = guideReducer(state, 'back').state;
		expect(state.step).toBe(1);
		for (let i = 0; i < 10; i++) state = guideReducer(state, 'next').state;
		expect(state.step).toBe(6);
		expect(progressText(state)).toBe('6/6');
		state = guideReducer(state, 'back').state;
		expect(state.step).toBe(5);
	});

	it('leaves on Esc and hands over only when the step has a view', () => {
		const state = {step: 3};
		expect(guideReducer(state, 'leave').effect).toEqual({type: 'leave'});
		expect(guideReducer(state, 'open', target).effect).toEqual({type: 'handOver', target});
		expect(guideReducer(state, 'open', null).effect).toEqual({type: 'none'});
		expect(guideReducer(state, 'open', target).state).toBe(state);
	});

	it('maps keys: → l Enter next, ← h back, o open, Esc leave', () => {
		expect(guideCommandFor('', {rightArrow: true})).toBe('next');
		expect(guideCommandFor('l', {})).toBe('next');
		expect(guideCommandFor('\r', {return: true})).toBe('next');
		expect(guideCommandFor('', {leftArrow: true})).toBe('back');
		expect(guideCommandFor('h', {})).toBe('back');
		expect(guideCommandFor('o', {})).toBe('open');
		expect(guideCommandFor('', {escape: true})).toBe('leave');
		expect(guideCommandFor('j', {})).toBeUndefined();
		expect(guideCommandFor('l', {ctrl: true})).toBeUndefined();
		expect(guideCommandsFor('ll\r', {})).toEqual(['next', 'next', 'next']);
	});
});
