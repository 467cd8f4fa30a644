import { recorder } from '../recorder.ts';

/** k6/execution: the scenario the recorder says the VU runs in. */
const exec = {
  get scenario() {
    return { name: recorder.scenario.name, executor: 'constant-arrival-rate', startTime: recorder.scenario.startTime, progress: 0, iterationInInstance: 0, iterationInTest: 0 };
  },
};

export const scenario = exec.scenario;
export default exec;
