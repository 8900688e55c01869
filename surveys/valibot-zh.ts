// valibot's own messages in Chinese, registered once on import. Kept apart from i18n.ts so the public
// page, which needs only the plain text helpers, does not pull valibot in.
import { setGlobalMessage, type BaseIssue } from 'valibot';

/**
 * valibot's built-in message ("Invalid type: Expected string but received undefined") in Chinese, for
 * issues whose schema or action has no message of its own. English keeps valibot's defaults.
 */
export function chineseDefaultMessage(issue: BaseIssue<unknown>): string {
  const { kind, type, expected, received } = issue;
  const requirement = 'requirement' in issue ? String(issue.requirement) : '';
  if (kind === 'schema') {
    // object, strict_object, loose_object, object_with_rest: a required key is missing.
    if (type.includes('object') && received === 'undefined' && expected?.startsWith('"')) {
      return `缺少必填字段 ${expected}，请补上`;
    }
    if (received === 'undefined') return `缺少必填内容：应为 ${expected}，请填写`;
    if (['picklist', 'literal', 'enum', 'variant', 'union'].includes(type)) {
      return `取值无效：应为 ${expected}，实际为 ${received}`;
    }
    return `类型无效：应为 ${expected}，实际为 ${received}`;
  }
  switch (type) {
    case 'min_length':
      return `长度无效：至少应为 ${requirement}，实际为 ${received}`;
    case 'max_length':
      return `长度无效：最多应为 ${requirement}，实际为 ${received}`;
    case 'length':
      return `长度无效：应为 ${requirement}，实际为 ${received}`;
    case 'min_value':
      return `数值无效：应不小于 ${requirement}，实际为 ${received}`;
    case 'max_value':
      return `数值无效：应不大于 ${requirement}，实际为 ${received}`;
    case 'integer':
      return `数值无效：应为整数，实际为 ${received}`;
    case 'non_empty':
      return '内容不能为空，请填写';
  }
  return expected ? `输入无效：应为 ${expected}，实际为 ${received}` : `输入无效：实际为 ${received}`;
}

// Once, on import (definition.ts and server/http.ts import this module): `v.safeParse(schema, input, { lang: 'zh-CN' })`.
setGlobalMessage(chineseDefaultMessage, 'zh-CN');
