import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type ProvisionerConfig, readConfig } from './config.ts';
import { InvalidConfigurationError } from './errors.ts';
import { SubaccountProvisionerStack } from './stack.ts';

const app = new App();

// A configuration mistake is the operator's to fix: show the list of problems, not a stack trace.
const readConfigOrExit = (): ProvisionerConfig => {
  try {
    return readConfig(app);
  } catch (error) {
    if (!(error instanceof InvalidConfigurationError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
};

new SubaccountProvisionerStack(app, 'SubaccountProvisioner', {
  config: readConfigOrExit(),
  description: 'Provisions Twilio subaccounts for SaaS tenants from lifecycle events',
});
// Every AWS Solutions finding fails synth unless acknowledged next to its cause with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
