// The customers API as the staff app calls it: the customer list, one customer with its loyalty, timeline,
// consent history and responses, the staff who may own customers, CSV imports, and the customer's data rights.
import type { CsvDelimiter, CsvEncoding } from '../../../server/customers/csv.ts';
import type { customerRoutes } from '../../../server/customers/routes.ts';
import type { privacyRoutes } from '../../../server/privacy/routes.ts';
import type { ColumnMapping, CustomerDraft } from '../../../server/customers/rules.ts';
import type { CustomerKind, CustomerTier } from '../../../server/customers/vocabulary.ts';
import type { Locale } from '../../../surveys/definition.ts';
import { queryString, request, type Answer } from '../request.ts';

type Routes = typeof customerRoutes;
type PrivacyRoutes = typeof privacyRoutes;
export type { CustomerDraft };
export type CustomerList = Answer<Routes, '/customers', '$get'>;
export type CustomerListRow = CustomerList['customers'][number];
export type Customer = Answer<Routes, '/customers/:id', '$get'>['customer'];
/** The customer's loyalty as the loyalty engine keeps it (stage, overlays, RFM, score and parts, tiers); null before any. */
export type CustomerLoyalty = Answer<Routes, '/customers/:id', '$get'>['loyalty'];
export type TimelinePage = Answer<Routes, '/customers/:id/timeline', '$get'>;
export type TimelineItem = TimelinePage['items'][number];
export type CustomerOwner = Answer<Routes, '/customers/owners', '$get'>['owners'][number];
export type ConsentHistoryPage = Answer<Routes, '/customers/:id/consent-history', '$get'>;
export type ConsentChange = ConsentHistoryPage['changes'][number];
export type CustomerResponsePage = Answer<Routes, '/customers/:id/responses', '$get'>;
export type CustomerResponseRow = CustomerResponsePage['responses'][number];
export type CustomerImport = Answer<Routes, '/customer-imports/:id', '$get'>['import'];
export type ImportRejection = Answer<Routes, '/customer-imports/:id/rejections', '$get'>['rejections'][number];
/** A row of an import whose consent stayed withdrawn at the customer's request. */
export type ImportConsentKept = Answer<Routes, '/customer-imports/:id/consent-kept', '$get'>['rows'][number];

export interface CustomerQuery {
  q?: string;
  segment?: string;
  region?: string;
  tier?: CustomerTier | '';
  kind?: CustomerKind | '';
  page?: number;
}

export interface NewCustomerImport {
  fileName: string;
  sizeBytes: number;
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  mapping: ColumnMapping;
}

const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;
const importPath = (id: string) => `/api/customer-imports/${encodeURIComponent(id)}`;

export const customersApi = {
  customers: (query: CustomerQuery) => request<CustomerList>('GET', `/api/customers${queryString({ ...query })}`),
  customerFacets: () => request<Answer<Routes, '/customers/facets', '$get'>>('GET', '/api/customers/facets'),
  customer: (id: string) => request<Answer<Routes, '/customers/:id', '$get'>>('GET', customerPath(id)),
  createCustomer: (input: CustomerDraft) => request<Answer<Routes, '/customers', '$post'>>('POST', '/api/customers', input),
  updateCustomer: (id: string, input: CustomerDraft) => request<Answer<Routes, '/customers/:id', '$put'>>('PUT', customerPath(id), input),
  consentHistory: (id: string, before?: number) =>
    request<ConsentHistoryPage>('GET', `${customerPath(id)}/consent-history${queryString({ before, limit: 20 })}`),
  owners: () => request<Answer<Routes, '/customers/owners', '$get'>>('GET', '/api/customers/owners'),
  timeline: (id: string, before?: string) => request<TimelinePage>('GET', `${customerPath(id)}/timeline${queryString({ before })}`),
  customerResponses: (id: string, before?: string) =>
    request<CustomerResponsePage>('GET', `${customerPath(id)}/responses${queryString({ before })}`),

  createCustomerImport: (input: NewCustomerImport) =>
    request<Answer<Routes, '/customer-imports', '$post'>>('POST', '/api/customer-imports', input),
  /** Sends the whole file; the server answers when every row is read. Poll customerImport meanwhile. */
  uploadCustomerImport: (id: string, file: Blob) =>
    request<Answer<Routes, '/customer-imports/:id/file', '$put'>>('PUT', `${importPath(id)}/file`, file),
  customerImport: (id: string) => request<Answer<Routes, '/customer-imports/:id', '$get'>>('GET', importPath(id)),
  importRejections: (id: string, after?: number) =>
    request<Answer<Routes, '/customer-imports/:id/rejections', '$get'>>('GET', `${importPath(id)}/rejections${queryString({ after })}`),
  importConsentKept: (id: string, after?: number) =>
    request<Answer<Routes, '/customer-imports/:id/consent-kept', '$get'>>('GET', `${importPath(id)}/consent-kept${queryString({ after })}`),
  /** A plain link that downloads the rejected rows as CSV, reasons in the given language. */
  rejectionReportHref: (id: string, locale: Locale) => `${importPath(id)}/rejections.csv${queryString({ lang: locale })}`,
  erase: (id: string, reason: string) => request<Answer<PrivacyRoutes, '/customers/:id/erase', '$post'>>('POST', `${customerPath(id)}/erase`, { reason }),
  setLegalHold: (id: string, reason: string | null) =>
    request<Answer<PrivacyRoutes, '/customers/:id/legal-hold', '$put'>>('PUT', `${customerPath(id)}/legal-hold`, { reason }),
  /** A plain link that downloads everything about the customer (and records the export). */
  exportUrl: (id: string, format: 'json' | 'zip') => `${customerPath(id)}/export${queryString({ format })}`,
};
