// The purchases API as the staff app calls it: a customer's purchases, and CSV imports of purchases.
import type { CsvDelimiter, CsvEncoding } from '../../../server/customers/csv.ts';
import type { purchaseRoutes } from '../../../server/purchases/routes.ts';
import type { PurchaseColumnMapping } from '../../../server/purchases/rules.ts';
import type { Locale } from '../../../surveys/definition.ts';
import { queryString, request, type Answer } from '../request.ts';

type Routes = typeof purchaseRoutes;
export type CustomerPurchasePage = Answer<Routes, '/customers/:id/purchases', '$get'>;
export type CustomerPurchase = CustomerPurchasePage['purchases'][number];
export type PurchaseImport = Answer<Routes, '/purchase-imports/:id', '$get'>['import'];
export type PurchaseImportRejection = Answer<Routes, '/purchase-imports/:id/rejections', '$get'>['rejections'][number];
export type PurchaseImportCustomer = Answer<Routes, '/purchase-imports/:id/customers', '$get'>['customers'][number];

export interface NewPurchaseImport {
  fileName: string;
  sizeBytes: number;
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  mapping: PurchaseColumnMapping;
}

const importPath = (id: string) => `/api/purchase-imports/${encodeURIComponent(id)}`;

export const purchasesApi = {
  customerPurchases: (customerId: string, before?: string) =>
    request<CustomerPurchasePage>('GET', `/api/customers/${encodeURIComponent(customerId)}/purchases${queryString({ before })}`),
  createImport: (input: NewPurchaseImport) => request<Answer<Routes, '/purchase-imports', '$post'>>('POST', '/api/purchase-imports', input),
  /** Sends the whole file; the server answers when every row is read. Poll purchaseImport meanwhile. */
  uploadImport: (id: string, file: Blob) => request<Answer<Routes, '/purchase-imports/:id/file', '$put'>>('PUT', `${importPath(id)}/file`, file),
  purchaseImport: (id: string) => request<Answer<Routes, '/purchase-imports/:id', '$get'>>('GET', importPath(id)),
  rejections: (id: string, after?: number) =>
    request<Answer<Routes, '/purchase-imports/:id/rejections', '$get'>>('GET', `${importPath(id)}/rejections${queryString({ after })}`),
  importCustomers: (id: string) => request<Answer<Routes, '/purchase-imports/:id/customers', '$get'>>('GET', `${importPath(id)}/customers`),
  /** A plain link that downloads the rejected rows as CSV, reasons in the given language. */
  rejectionReportHref: (id: string, locale: Locale) => `${importPath(id)}/rejections.csv${queryString({ lang: locale })}`,
};
