/** Credentials: whose AWS identity the doctor (and anything started from this shell) runs as, via STS. */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { describeError, errorFacts } from './describe-error';
import { type DoctorCheck, failed, passed } from './doctor-check';

const REJECTED = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
]);

export function credentialsCheck(sts: STSClient): DoctorCheck {
  return {
    name: 'credentials',
    async run(signal) {
      try {
        const identity = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
        return passed(`${identity.Arn ?? 'unknown identity'} (account ${identity.Account ?? '?'})`);
      } catch (error) {
        const facts = errorFacts(error);
        if (facts.name === 'CredentialsProviderError') {
          return failed(
            'no AWS credentials found',
            'set AWS_PROFILE (then `aws sso login`) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
          );
        }
        if (REJECTED.has(facts.name)) {
          return failed(
            `AWS rejected the credentials (${describeError(error)})`,
            'refresh them (`aws sso login`, a new session token) and check AWS_PROFILE',
          );
        }
        return failed(
          `STS GetCallerIdentity failed: ${describeError(error)}`,
          'check AWS_REGION, AWS_ENDPOINT_URL_STS and the network path to STS',
        );
      }
    },
  };
}
