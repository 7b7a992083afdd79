/** The certificates.k8s.io/v1 CertificateSigningRequest printer. */
import type { Printer } from '../types.ts';
import { age, humanDuration } from './age.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { optionalInteger, records, text } from './fields.ts';

/** Denied beats Approved, else Pending; then ",Failed" and ",Issued" once a certificate is there. */
function conditionOf(request: unknown): string {
  const types = new Set(records(request, 'status', 'conditions').map((c) => c.type));
  let condition = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) condition += ',Failed';
  if (text(request, 'status', 'certificate')) condition += ',Issued';
  return condition;
}

export const certificateSigningRequestPrinter: Printer = {
  columns: [
    nameColumn,
    ageColumn,
    column('SignerName', 'string', 'The signer asked to sign the certificate.'),
    column('Requestor', 'string', 'The user who created the request.'),
    column('RequestedDuration', 'string', 'The validity the request asks for.'),
    column('Condition', 'string', 'Approved, Denied or Pending, and whether a certificate was issued.'),
  ],
  row(request, now) {
    const seconds = optionalInteger(request, 'spec', 'expirationSeconds');
    return [
      text(request, 'metadata', 'name'),
      age(request, now),
      text(request, 'spec', 'signerName'),
      text(request, 'spec', 'username'),
      seconds === undefined ? '<none>' : humanDuration(seconds * 1000),
      conditionOf(request),
    ];
  },
};
