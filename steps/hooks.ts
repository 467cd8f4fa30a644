import { Before, setDefaultTimeout } from '@cucumber/cucumber';
import { missingCapability } from '../src/catalogue/capabilities.ts';
import { guaranteeIdOf } from '../src/catalogue/tags.ts';
import type { ConformanceWorld } from './world.ts';

// Every probe bounds its own waiting (request and callback timeouts from the config, a load's
// duration); Cucumber's fixed 5 s step limit would cut a slow but valid hub short with nothing measured.
setDefaultTimeout(-1);

// Named: Allure shows a hook without a name as an "Unknown test".
Before({ name: 'what the scenario needs (@needs: capabilities)' }, async function (this: ConformanceWorld, { pickle }) {
  const tags = pickle.tags.map((tag) => tag.name);
  this.guaranteeId = guaranteeIdOf(tags, pickle.name);
  const gap = missingCapability(tags, this.session.capabilities);
  return gap ? this.record(gap) : undefined;
});
