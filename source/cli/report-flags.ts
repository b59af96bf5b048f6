import type {EngineFlags} from '../services/engines.js';

/** `layerscope report`'s flags, shared by the whole-node report and the one-container report. */
export interface ReportFlags extends EngineFlags {
	json: boolean;
	format?: string;
	output?: string;
	dfTimeout: number;
	samples: number;
	interval: number;
	readOnly: boolean;
	container?: string;
	kubeletConfig?: string;
	otherFiles?: boolean;
	otherRoot?: string;
	kubeletRoot?: string;
}
