/** All six steps of the walkthrough, from live data. Pure. */
import {adviceStep} from './step-advice.js';
import {drillStep} from './step-drill.js';
import {filesystemStep} from './step-filesystem.js';
import {growthStep} from './step-growth.js';
import {ledgerStep} from './step-ledger.js';
import {pruneStep} from './step-prune.js';
import type {GuideInput, GuideStep} from './guide-model.js';

const builders = [filesystemStep, ledgerStep, growthStep, drillStep, adviceStep, pruneStep];

/** One step (1-based). */
export function guideStep(input: GuideInput, number: number): GuideStep {
	return builders[Math.max(1, Math.min(builders.length, number)) - 1]!(input);
}

export function guideSteps(input: GuideInput): GuideStep[] {
	return builders.map(build => build(input));
}
