-- Purchases no longer mark their customers stale as they are stored: the loyalty update folds the purchases
-- after this cursor into marks itself. The purchases stored until now were marked when stored. (With none
-- stored yet there is no cursor, which reads as 0.)
INSERT OR IGNORE INTO `settings` (`key`, `value`, `updated_by`, `updated_at`)
  SELECT 'loyalty.purchases.folded', CAST(max(`id`) AS TEXT), 'migration', CAST(unixepoch('subsec') * 1000 AS INTEGER) FROM `purchases`
  HAVING max(`id`) IS NOT NULL;
