// The published PLS results on the ECSI "mobi" data (../shared/fixtures/pls/README.md), for the tests of
// the engine and of the CLI. The data itself stays in the shared fixtures folder, read at test time.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file (surveys/indices/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const mobiFolder = resolve(repoRoot, '../shared/fixtures/pls');
export const mobiCsvPath = resolve(mobiFolder, 'mobi.csv');
export const mobiModelPath = resolve(mobiFolder, 'mobi.model.json');

/** R seminr 2.5, estimate_pls defaults: path weighting, maxIt 300, stop 1e-7. */
export const mobiPaths: Record<string, number> = {
  'Image->Expectation': 0.504914,
  'Image->Satisfaction': 0.17874,
  'Image->Loyalty': 0.195755,
  'Expectation->Quality': 0.556749,
  'Expectation->Value': 0.049988,
  'Expectation->Satisfaction': 0.062523,
  'Quality->Value': 0.558304,
  'Quality->Satisfaction': 0.512024,
  'Value->Satisfaction': 0.194765,
  'Satisfaction->Complaints': 0.528066,
  'Satisfaction->Loyalty': 0.485478,
  'Complaints->Loyalty': 0.066926,
};

export const mobiRSquared: Record<string, number> = {
  Expectation: 0.254938,
  Quality: 0.309969,
  Value: 0.345279,
  Satisfaction: 0.681078,
  Complaints: 0.278854,
  Loyalty: 0.456944,
};

export const mobiWeights: Record<string, number> = {
  CUSA1: 0.364865, CUSA2: 0.383156, CUSA3: 0.450961,
  PERV1: 0.479282, PERV2: 0.604056,
  CUEX1: 0.521181, CUEX2: 0.47368, CUEX3: 0.445634,
  CUSL1: 0.460665, CUSL2: 0.11427, CUSL3: 0.654311,
  IMAG1: 0.301312, IMAG2: 0.259691, IMAG3: 0.217923, IMAG4: 0.328504, IMAG5: 0.324681,
  PERQ1: 0.213175, PERQ2: 0.144722, PERQ3: 0.200018, PERQ4: 0.179399, PERQ5: 0.178636, PERQ6: 0.179121, PERQ7: 0.215482,
};

/** The loadings the README lists (a selection). */
export const mobiLoadings: Record<string, number> = {
  CUSA1: 0.792412,
  CUSA2: 0.847021,
  CUSA3: 0.856693,
  CUSL2: 0.202022,
  PERV2: 0.939625,
};

export const mobiIndices: Record<string, number> = {
  Satisfaction: 72.4541,
  Image: 73.528,
  Expectation: 72.4738,
  Quality: 74.9766,
  Value: 62.3468,
  Complaints: 67.4222,
  Loyalty: 70.9139,
};
