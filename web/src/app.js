// The dashboard of `tsq serve`: plain ES2020, no framework, no build step. The server's
// Content-Security-Policy forbids inline scripts and eval, so everything the page does is here.
// Views are hash routes (#/overview, #/indicator/<id>, #/map, ...) so the back button works and a
// view can be linked; the period and filters ride in the hash's query (?period=&operator=...).
'use strict';

(function () {

// ---------------------------------------------------------------------------------------------
// Strings. Every text a person reads is here in both languages; indicator and section names come
// from the API in the chosen language.

const STRINGS = {
  zh: {
    app_title: '电信服务质量',
    period: '统计期',
    operator: '运营商',
    region: '地区',
    month: '月份',
    all_operators: '全部运营商',
    all_regions: '全部地区',
    all_months: '全期',
    tab_overview: '总览',
    tab_indicator: '指标趋势',
    tab_map: '质差小区',
    tab_broadband: '宽带速率',
    tab_callers: '疑似骚扰诈骗',
    tab_data_quality: '数据质量',
    tab_downloads: '报告下载',
    loading: '正在加载…',
    no_periods: '存储中还没有统计期。先用 tsq ingest 入库一个统计期。',
    overview_title: '指标总览',
    summary_title: '各运营商达标情况',
    summary_hint: '点击卡片按该运营商筛选',
    met: '达标',
    missed: '未达标',
    insufficient: '样本不足',
    no_target: '无目标',
    col_indicator: '指标',
    col_value: '本期值',
    col_target: '目标',
    col_verdict: '判定',
    col_n: '样本量',
    col_prev: '环比',
    col_yoy: '同比',
    targets_only: '只看有目标的指标',
    search_placeholder: '搜索指标名称或编号',
    rows_shown: '显示 {shown} / {total} 项',
    no_values: '所选运营商、地区、月份的组合没有数据（目录未按此组合分解），请放宽筛选。',
    pp: '个百分点',
    basis_regulation: '法规',
    basis_tool_default: '默认',
    basis_catalog: '目录',
    basis_regulation_long: '法规限值',
    basis_tool_default_long: '工具默认值',
    basis_catalog_long: '目录设定',
    ci_title: '95% 置信区间 {low} – {high}',
    ci_inconclusive: '（与目标的差异不显著）',
    earlier_title: '{period}：{value}（样本量 {n}）',
    polarity_higher: '越高越好',
    polarity_lower: '越低越好',
    polarity_none: '—',
    indicator_title: '指标趋势',
    pick_indicator: '指标',
    pick_prompt: '请选择一个指标',
    back_overview: '← 返回总览',
    facts_id: '编号',
    facts_ci: '置信区间',
    facts_section: '分类',
    facts_unit: '单位',
    facts_polarity: '方向',
    facts_target: '目标',
    facts_formula: '计算方法',
    facts_source: '依据',
    facts_scope: '范围',
    scope_all: '全省',
    this_period: '本期',
    trend_title: '历史趋势',
    trend_hint: '各统计期（菱形）与各月（圆点）；虚线为目标',
    series_periods: '统计期',
    series_months: '月度',
    target: '目标',
    regions_title: '分地区（{period}）',
    regions_hint: '柱色表示判定：绿达标、红未达标、灰样本不足',
    operators_title: '分运营商（{period}）',
    no_history: '存储的统计期中没有此指标的数据。',
    no_period_value: '本统计期没有此指标的数据。',
    map_title: '质差小区与整治',
    map_hint: '圆点为小区，虚线圆为无小区标识测速的网格；点击查看数据',
    baseline: '整治基期',
    cls_still_poor: '仍质差（基期亦质差）',
    cls_poor: '本期质差',
    cls_unverified: '基期质差、本期待验证',
    cls_remediated: '已整治',
    cls_not_poor: '正常',
    cls_not_measured: '测速不足',
    remediation_title: '基期质差小区整治情况',
    poor_now_title: '本期质差小区',
    col_rat: '制式',
    col_cell: '小区/网格',
    col_status: '状态',
    col_before: '整治前 样本/不良（占比）',
    col_after: '整治后 样本/不良（占比）',
    col_work_order: '工单',
    col_tests: '测速',
    col_devices: '设备',
    col_bad_share: '不良占比',
    col_lower: '95% 下限',
    col_median: '下行中位数',
    col_p10: '下行 P10',
    tile: '网格',
    status_remediated: '已整治',
    status_poor: '质差',
    status_still_poor: '仍质差',
    status_unverified: '待验证',
    comparison_title: '整治效果（双重差分）',
    treated: '整治组（基期质差）',
    control: '对照组',
    net_change: '净变化',
    bad_share_change: '{cells} 个小区，不良占比 {before} → {after}（{change}）',
    none: '（无）',
    no_speedtests: '本统计期的数据没有测速记录（speedtests），无法分析质差小区。',
    popup_status: '状态',
    popup_operator: '运营商',
    popup_baseline: '基期 测速/不良占比',
    kpi_measured: '有效评估小区',
    kpi_poor: '本期质差',
    kpi_baseline_poor: '基期质差',
    kpi_remediated: '已整治',
    kpi_still_poor: '仍质差',
    kpi_unverified: '待验证',
    kpi_remediation_rate: '整治率',
    broadband_title: '宽带接入速率',
    broadband_rule: '线路各次测速的平均下行速率不低于签约速率的 {ratio} 为达标。',
    no_broadband: '本统计期的数据没有宽带测速记录（broadband_tests）。',
    compliance_title: '达标情况',
    col_scope: '范围',
    col_lines: '受测线路',
    col_compliant: '达标线路',
    col_rate: '达标率',
    plans_title: '按签约速率',
    col_plan: '签约速率',
    below_title: '未达标线路（按占签约速率由低到高）',
    col_line: '线路',
    col_mean: '平均速率',
    col_of_plan: '占签约',
    col_worst: '最低一次',
    tests_of_line: '测速记录',
    all_scope: '全部',
    callers_title: '疑似骚扰诈骗号码',
    no_calls: '本统计期的数据没有通话记录（calls），无法识别疑似号码。',
    callers_stats: '主叫号码 {callers} 个，参与判定 {judged} 个，疑似 {suspected} 个，已核实放行 {cleared} 个。',
    callers_scorer: '评分：{scorer}。',
    scorer_rules: '规则',
    callers_masked: '号码已脱敏。',
    no_suspects: '本统计期没有疑似号码。',
    col_rank: '序号',
    col_number: '号码',
    col_score: '得分',
    col_rules: '触发规则',
    col_calls: '呼叫',
    col_per_day: '日均',
    col_callees: '被叫数',
    col_answered: '应答率',
    col_callback: '回拨',
    col_short: '短通话',
    col_imeis: '终端',
    col_days: '活跃日期',
    rule_volume: '呼叫量大',
    rule_fan_out: '广撒网',
    rule_no_call_back: '无回拨',
    rule_low_answer: '接通率低',
    rule_short_calls: '短通话多',
    rule_many_devices: '多终端',
    dq_title: '数据质量',
    dq_dir: '数据目录',
    dq_rows_read: '读取行数',
    dq_rows_kept: '保留行数',
    dq_rows_quarantined: '隔离行数',
    dq_files: '输入文件',
    col_file: '文件',
    col_type: '类型',
    col_size: '大小',
    col_reasons: '隔离原因',
    col_span: '时间范围',
    col_sha: 'SHA-256',
    dq_total: '合计',
    dq_ignored: '未使用的文件',
    dq_quarantine_file: '隔离文件',
    downloads_title: '报告下载',
    downloads_hint: 'PDF 在首次下载时由服务器用 Chromium 生成，可能需要数秒。',
    report_zh: '中文报告',
    report_en: '英文报告（English）',
    fmt_html: 'HTML（网页）',
    fmt_xlsx: 'Excel（XLSX）',
    fmt_pdf: 'PDF',
    downloading: '正在下载…',
    downloaded: '已下载',
    not_stored: '未入库',
    token_title: '需要访问令牌',
    token_help: '此服务器要求令牌。请输入管理员提供的令牌；令牌只保存在本浏览器标签页中。',
    token_submit: '确定',
    token_wrong: '令牌不正确，请重新输入。',
    error: '错误',
    network_error: '无法连接服务器：{message}',
    close: '关闭',
    meta_span: '{from} 至 {to}',
    meta_prev: '环比 {p}',
    meta_yoy: '同比 {p}',
    meta_stored: '入库 {t}',
    filter_not_used: '此页面不使用该筛选',
    unknown_filter: '统计期 {period} 中没有 {what}“{value}”，已忽略该筛选。',
  },
  en: {
    app_title: 'Telecom service quality',
    period: 'Period',
    operator: 'Operator',
    region: 'Region',
    month: 'Month',
    all_operators: 'All operators',
    all_regions: 'All regions',
    all_months: 'Whole period',
    tab_overview: 'Overview',
    tab_indicator: 'Indicator trend',
    tab_map: 'Poor cells',
    tab_broadband: 'Broadband',
    tab_callers: 'Suspected callers',
    tab_data_quality: 'Data quality',
    tab_downloads: 'Downloads',
    loading: 'Loading…',
    no_periods: 'The store holds no period yet. Store one with tsq ingest first.',
    overview_title: 'Indicators overview',
    summary_title: 'Verdicts by operator',
    summary_hint: 'Click a card to filter by that operator',
    met: 'met',
    missed: 'missed',
    insufficient: 'insufficient',
    no_target: 'no target',
    col_indicator: 'Indicator',
    col_value: 'Value',
    col_target: 'Target',
    col_verdict: 'Verdict',
    col_n: 'n',
    col_prev: 'vs previous',
    col_yoy: 'vs year earlier',
    targets_only: 'Only indicators with a target',
    search_placeholder: 'Search name or id',
    rows_shown: '{shown} of {total} shown',
    no_values: 'No figures for this combination of operator, region and month (the catalog does not break down by it); widen the filter.',
    pp: 'pp',
    basis_regulation: 'reg.',
    basis_tool_default: 'default',
    basis_catalog: 'catalog',
    basis_regulation_long: 'regulatory limit',
    basis_tool_default_long: 'tool default',
    basis_catalog_long: 'catalog setting',
    ci_title: '95 % interval {low} – {high}',
    ci_inconclusive: ' (not significantly different from the target)',
    earlier_title: '{period}: {value} (n = {n})',
    polarity_higher: 'higher is better',
    polarity_lower: 'lower is better',
    polarity_none: '—',
    indicator_title: 'Indicator trend',
    pick_indicator: 'Indicator',
    pick_prompt: 'Choose an indicator',
    back_overview: '← Back to the overview',
    facts_id: 'Id',
    facts_ci: 'Interval',
    facts_section: 'Section',
    facts_unit: 'Unit',
    facts_polarity: 'Direction',
    facts_target: 'Target',
    facts_formula: 'Formula',
    facts_source: 'Source',
    facts_scope: 'Scope',
    scope_all: 'whole province',
    this_period: 'This period',
    trend_title: 'History',
    trend_hint: 'Each stored period (diamonds) and month (dots); the dashed line is the target',
    series_periods: 'Periods',
    series_months: 'Months',
    target: 'Target',
    regions_title: 'By region ({period})',
    regions_hint: 'Bar colour is the verdict: green met, red missed, grey insufficient',
    operators_title: 'By operator ({period})',
    no_history: 'No stored period has figures for this indicator.',
    no_period_value: 'This period has no figure for this indicator.',
    map_title: 'Poor-quality cells and remediation',
    map_hint: 'Dots are cells, dashed circles are tiles of tests without a cell id; click for the figures',
    baseline: 'baseline',
    cls_still_poor: 'still poor (poor in the baseline)',
    cls_poor: 'poor now',
    cls_unverified: 'poor before, unverified now',
    cls_remediated: 'remediated',
    cls_not_poor: 'not poor',
    cls_not_measured: 'too few tests',
    remediation_title: 'The baseline\'s poor cells',
    poor_now_title: 'Poor cells this period',
    col_rat: 'RAT',
    col_cell: 'Cell / tile',
    col_status: 'Status',
    col_before: 'Before: samples / bad (share)',
    col_after: 'After: samples / bad (share)',
    col_work_order: 'Work order',
    col_tests: 'Tests',
    col_devices: 'Devices',
    col_bad_share: 'Bad share',
    col_lower: '95 % lower',
    col_median: 'Median down',
    col_p10: 'P10 down',
    tile: 'tile',
    status_remediated: 'remediated',
    status_poor: 'poor',
    status_still_poor: 'still poor',
    status_unverified: 'unverified',
    comparison_title: 'Effect of remediation (difference in differences)',
    treated: 'Treated (poor in the baseline)',
    control: 'Control',
    net_change: 'Net change',
    bad_share_change: '{cells} cells, bad share {before} → {after} ({change})',
    none: '(none)',
    no_speedtests: 'This period\'s data had no speed tests (speedtests): no poor-cell analysis.',
    popup_status: 'Status',
    popup_operator: 'Operator',
    popup_baseline: 'Baseline tests / bad share',
    kpi_measured: 'Cells measured',
    kpi_poor: 'Poor now',
    kpi_baseline_poor: 'Poor in baseline',
    kpi_remediated: 'Remediated',
    kpi_still_poor: 'Still poor',
    kpi_unverified: 'Unverified',
    kpi_remediation_rate: 'Remediation rate',
    broadband_title: 'Broadband access speed',
    broadband_rule: 'A line complies when the mean downstream speed of its tests reaches {ratio} of its plan.',
    no_broadband: 'This period\'s data had no broadband speed tests (broadband_tests).',
    compliance_title: 'Compliance',
    col_scope: 'Scope',
    col_lines: 'Lines tested',
    col_compliant: 'Compliant',
    col_rate: 'Compliance',
    plans_title: 'By plan',
    col_plan: 'Plan',
    below_title: 'Lines below plan (lowest share of plan first)',
    col_line: 'Line',
    col_mean: 'Mean',
    col_of_plan: 'Of plan',
    col_worst: 'Worst test',
    tests_of_line: 'Tests',
    all_scope: 'All',
    callers_title: 'Suspected harassment and fraud callers',
    no_calls: 'This period\'s data had no call records (calls): no caller analysis.',
    callers_stats: '{callers} calling numbers, {judged} judged, {suspected} suspected, {cleared} cleared by a reviewer.',
    callers_scorer: 'Scored by {scorer}.',
    scorer_rules: 'the rules',
    callers_masked: 'Numbers are masked.',
    no_suspects: 'No suspected number this period.',
    col_rank: '#',
    col_number: 'Number',
    col_score: 'Score',
    col_rules: 'Rules fired',
    col_calls: 'Calls',
    col_per_day: 'Per day',
    col_callees: 'Callees',
    col_answered: 'Answered',
    col_callback: 'Called back',
    col_short: 'Short',
    col_imeis: 'Devices',
    col_days: 'Active',
    rule_volume: 'volume',
    rule_fan_out: 'fan-out',
    rule_no_call_back: 'no call-back',
    rule_low_answer: 'low answer rate',
    rule_short_calls: 'short calls',
    rule_many_devices: 'many devices',
    dq_title: 'Data quality',
    dq_dir: 'Data directory',
    dq_rows_read: 'Rows read',
    dq_rows_kept: 'Rows kept',
    dq_rows_quarantined: 'Quarantined',
    dq_files: 'Input files',
    col_file: 'File',
    col_type: 'Type',
    col_size: 'Size',
    col_reasons: 'Quarantined by reason',
    col_span: 'Time span',
    col_sha: 'SHA-256',
    dq_total: 'Total',
    dq_ignored: 'Files not used',
    dq_quarantine_file: 'Quarantine file',
    downloads_title: 'Reports',
    downloads_hint: 'The server prints the PDF with Chromium the first time it is asked for; that can take a few seconds.',
    report_zh: 'Chinese report (中文)',
    report_en: 'English report',
    fmt_html: 'HTML (web page)',
    fmt_xlsx: 'Excel (XLSX)',
    fmt_pdf: 'PDF',
    downloading: 'Downloading…',
    downloaded: 'Downloaded',
    not_stored: 'not stored',
    token_title: 'Access token needed',
    token_help: 'This server needs a token. Enter the token your administrator gave you; it is kept only in this browser tab.',
    token_submit: 'OK',
    token_wrong: 'That token was not accepted; try again.',
    error: 'Error',
    network_error: 'Cannot reach the server: {message}',
    close: 'Close',
    meta_span: '{from} to {to}',
    meta_prev: 'previous {p}',
    meta_yoy: 'year earlier {p}',
    meta_stored: 'stored {t}',
    filter_not_used: 'This view does not use this filter',
    unknown_filter: 'Period {period} has no {what} "{value}"; that filter is ignored.',
  },
};

const UNIT_LABELS = {
  zh: {hours: '小时', minutes: '分钟', seconds: '秒', cny: '元', mbps: 'Mbps', count: '个', ratio: '比率', per_million: '件/百万用户'},
  en: {hours: 'h', minutes: 'min', seconds: 's', cny: 'CNY', mbps: 'Mbps', count: 'count', ratio: 'ratio', per_million: 'per million users'},
};

// The data names operators by their short Chinese names; people read the full ones.
const OPERATOR_LABELS = {
  移动: {zh: '中国移动', en: 'China Mobile'},
  联通: {zh: '中国联通', en: 'China Unicom'},
  电信: {zh: '中国电信', en: 'China Telecom'},
  广电: {zh: '中国广电', en: 'China Broadnet'},
};

const VERDICT_COLORS = {met: '#1a7f37', missed: '#c62828', insufficient: '#9ca3af', none: '#5b7fa6'};

// The cell classes of the map, most important first; the colours are those of `tsq cells
// --map-page`, so the dashboard and the report's map read the same.
const CELL_CLASSES = ['still_poor', 'poor', 'unverified', 'remediated', 'not_poor', 'not_measured'];
const CELL_COLORS = {
  still_poor: '#7f0000', poor: '#d7301f', unverified: '#f28e2b',
  remediated: '#1a9850', not_poor: '#4575b4', not_measured: '#b0b0b0',
};

// Which filters each view uses; the others are disabled there.
const VIEW_FILTERS = {
  overview: ['operator', 'region', 'month'],
  indicator: ['operator', 'region'],
  map: ['operator'],
  broadband: ['operator', 'region'],
  callers: ['operator', 'region'],
  'data-quality': [],
  downloads: [],
};

const TOKEN_KEY = 'tsq.token';
const LANG_KEY = 'tsq.lang';
const LAST_INDICATOR_KEY = 'tsq.lastIndicator';

const state = {
  lang: readLang(),
  periods: null,           // the /api/v1/periods answer's list, by start
  periodInfo: new Map(),   // label -> /api/v1/periods/{label}
  catalog: null,           // /api/v1/catalog, fetched once when a view needs it
  renderSeq: 0,            // bumped per render: an answer for an older render is dropped
  charts: [],              // ECharts instances of the current view (disposed on leaving it)
  map: null,               // the Leaflet map of the current view
  targetsOnly: false,
  search: '',
};

function readLang() {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  } catch (e) {
    return 'zh';
  }
}

function t(key, vars) {
  let s = STRINGS[state.lang][key];
  if (s === undefined) s = STRINGS.zh[key] !== undefined ? STRINGS.zh[key] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k])));
  return s;
}

// ---------------------------------------------------------------------------------------------
// DOM helpers: elements are built, never parsed from strings, so no figure or name from the data
// can inject markup.

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

function $(sel) { return document.querySelector(sel); }

// replaceChildren would write a null as the text "null": a view leaves out what it lacks.
function setContent(el, ...children) {
  el.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
}

function panel(title, hint, body, attrs) {
  return h('section', Object.assign({class: 'panel'}, attrs || {}),
    h('header', null, h('h2', null, title), hint ? h('span', {class: 'hint'}, hint) : null),
    body);
}

function table(head, rows, attrs) {
  return h('table', Object.assign({class: 'data'}, attrs || {}),
    h('thead', null, h('tr', null, head.map(c =>
      typeof c === 'string' ? h('th', null, c) : h('th', {class: c.num ? 'num' : null}, c.text)))),
    h('tbody', null, rows));
}

// ---------------------------------------------------------------------------------------------
// Formatting: a figure reads by its unit, in the chosen language.

function locale() { return state.lang === 'zh' ? 'zh-CN' : 'en-US'; }

function fmtNum(v, digits) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return new Intl.NumberFormat(locale(), {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(v);
}

function fmtInt(v) { return fmtNum(v, 0); }

function fmtPct(v, digits) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return fmtNum(v * 100, digits === undefined ? 2 : digits) + '%';
}

function unitLabel(unit) { return UNIT_LABELS[state.lang][unit] || unit; }

function fmtValue(v, unit) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  switch (unit) {
    case 'ratio': return fmtPct(v, 2);
    case 'count': return fmtNum(v, Number.isInteger(v) ? 0 : 2);
    case 'hours': case 'minutes': case 'seconds': case 'cny':
      return fmtNum(v, 2) + ' ' + unitLabel(unit);
    case 'mbps': return fmtNum(v, 1) + ' Mbps';
    case 'per_million': return fmtNum(v, 1) + ' ' + unitLabel(unit);
    default: return fmtNum(v, 2);
  }
}

function fmtTarget(target, unit) {
  if (!target) return '—';
  const op = target.op === '>=' ? '≥' : target.op === '<=' ? '≤' : target.op;
  return op + ' ' + fmtValue(target.value, unit);
}

function basisTag(target) {
  if (!target || !target.basis) return null;
  return h('span', {class: 'basis', title: t('basis_' + target.basis + '_long')},
    t('basis_' + target.basis));
}

function signed(text, d) { return (d > 0 ? '+' : d < 0 ? '−' : '±') + text; }

// The change from an earlier figure: percentage points for ratios (a rate's relative change
// misleads), relative per cent otherwise; coloured good or bad by the indicator's polarity.
function change(value, earlier, unit, polarity) {
  if (!earlier || earlier.value === null || earlier.value === undefined ||
      value === null || value === undefined) {
    return null;
  }
  const d = value - earlier.value;
  let text;
  if (unit === 'ratio') {
    text = signed(fmtNum(Math.abs(d) * 100, 2), d) + ' ' + t('pp');
  } else if (earlier.value !== 0) {
    text = signed(fmtNum(Math.abs(d / earlier.value) * 100, 1), d) + '%';
  } else {
    text = signed(fmtValue(Math.abs(d), unit), d);
  }
  let tone = 'flat';
  if (Math.abs(d) > 1e-12 && polarity !== 'none') {
    tone = (d > 0) === (polarity === 'higher') ? 'good' : 'bad';
  }
  return {text, tone};
}

function verdictBadge(verdict) {
  if (!verdict) return h('span', {class: 'verdict none', title: t('no_target')}, '—');
  return h('span', {class: 'verdict ' + verdict, 'data-verdict': verdict}, t(verdict));
}

// Operators in the order the regulator lists them; others after, by name.
const OPERATOR_ORDER = ['移动', '联通', '电信', '广电'];

function byOperatorOrder(a, b) {
  const ia = OPERATOR_ORDER.indexOf(a);
  const ib = OPERATOR_ORDER.indexOf(b);
  if (ia !== ib) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

function operatorLabel(op) {
  const l = OPERATOR_LABELS[op];
  return l ? l[state.lang] : op;
}

function dayOf(iso) { return iso ? iso.slice(0, 10) : ''; }

// A period's `to` is exclusive (the next period's first instant); people read the last day.
function lastDayOf(iso) {
  if (!iso) return '';
  const d = new Date(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) - 86400000);
  return d.toISOString().slice(0, 10);
}

function fmtBytes(n) {
  if (!Number.isFinite(n)) return '—';
  if (n < 1024) return fmtInt(n) + ' B';
  if (n < 1024 * 1024) return fmtNum(n / 1024, 1) + ' KB';
  return fmtNum(n / 1024 / 1024, 1) + ' MB';
}

// ---------------------------------------------------------------------------------------------
// Messages: every API error is shown, never swallowed.

class ApiError extends Error {
  constructor(status, message, path) {
    super(message);
    this.status = status;
    this.path = path;
  }
}

function showMessage(kind, text) {
  const box = h('div', {class: 'message ' + kind, 'data-test': 'message-' + kind},
    h('span', {class: 'text'}, text),
    h('button', {type: 'button', title: t('close'), 'aria-label': t('close'),
                 onclick: e => e.currentTarget.parentElement.remove()}, '×'));
  $('#messages').append(box);
}

function showError(err) {
  if (err instanceof ApiError) {
    const status = err.status ? ' ' + err.status : '';
    showMessage('error', t('error') + status + ': ' + err.message + (err.path ? '  [' + err.path + ']' : ''));
  } else {
    showMessage('error', t('error') + ': ' + (err && err.message ? err.message : String(err)));
    console.error(err);  // a bug of the page: keep the stack for whoever debugs it
  }
}

function clearMessages() { $('#messages').replaceChildren(); }

// ---------------------------------------------------------------------------------------------
// The API. A 401 asks for the token (kept in sessionStorage, so it dies with the tab) and retries;
// concurrent calls that meet a 401 share one prompt.

let tokenPrompt = null;

function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch (e) {
    return '';
  }
}

function askToken(rejected) {
  if (tokenPrompt) return tokenPrompt;
  tokenPrompt = new Promise(resolve => {
    const overlay = $('#token-overlay');
    const form = $('#token-form');
    const input = $('#token-input');
    const error = $('#token-error');
    error.hidden = !rejected;
    error.textContent = rejected ? t('token_wrong') : '';
    input.value = '';
    overlay.hidden = false;
    input.focus();
    const onSubmit = e => {
      e.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      try {
        sessionStorage.setItem(TOKEN_KEY, token);
      } catch (err) {
        // Without sessionStorage the token lives in memory only.
      }
      memoryToken = token;
      form.removeEventListener('submit', onSubmit);
      overlay.hidden = true;
      tokenPrompt = null;
      resolve();
    };
    form.addEventListener('submit', onSubmit);
  });
  return tokenPrompt;
}

let memoryToken = '';

async function authFetch(path, accept) {
  for (;;) {
    const token = storedToken() || memoryToken;
    const headers = accept ? {Accept: accept} : {};
    if (token) headers.Authorization = 'Bearer ' + token;
    let res;
    try {
      res = await fetch(path, {headers, cache: 'no-store'});
    } catch (e) {
      throw new ApiError(0, t('network_error', {message: e.message}), path);
    }
    if (res.status !== 401) return res;
    await askToken(Boolean(token));
  }
}

async function errorOf(res, path) {
  let message = res.statusText || 'HTTP ' + res.status;
  try {
    const body = await res.json();
    if (body && body.error && body.error.message) message = body.error.message;
  } catch (e) {
    // Not JSON: keep the status text.
  }
  return new ApiError(res.status, message, path);
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

async function api(path, params) {
  const url = path + query(params);
  const res = await authFetch(url, 'application/json');
  if (!res.ok) throw await errorOf(res, url);
  return res.json();
}

// Like Promise.all, but waits for every answer before failing with the first error, so a view
// is done (and its errors shown) only once nothing it asked for is still on the way.
async function allAnswers(promises) {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find(r => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map(r => r.value);
}

function periodPath(period, rest) {
  return '/api/v1/periods/' + encodeURIComponent(period) + (rest || '');
}

async function loadPeriods() {
  if (!state.periods) state.periods = (await api('/api/v1/periods')).periods || [];
  return state.periods;
}

async function loadPeriodInfo(label) {
  if (!state.periodInfo.has(label)) state.periodInfo.set(label, await api(periodPath(label)));
  return state.periodInfo.get(label);
}

async function loadCatalog() {
  if (!state.catalog) state.catalog = await api('/api/v1/catalog');
  return state.catalog;
}

// A finding (cells, broadband, callers) a period's data had no records for is a 404: say so in
// the view, in words, rather than as an error.
async function loadFinding(ctx, docName, path, params) {
  if (ctx.info.documents && !ctx.info.documents.includes(docName)) return null;
  try {
    return await api(path, params);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Routing.

const VIEWS = {
  overview: renderOverview,
  indicator: renderIndicator,
  map: renderMap,
  broadband: renderBroadband,
  callers: renderCallers,
  'data-quality': renderDataQuality,
  downloads: renderDownloads,
};

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const cut = raw.indexOf('?');
  const path = cut < 0 ? raw : raw.slice(0, cut);
  const params = new URLSearchParams(cut < 0 ? '' : raw.slice(cut + 1));
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const view = VIEWS[parts[0]] ? parts[0] : 'overview';
  return {view, id: parts.slice(1).join('/'), params};
}

const FILTER_PARAMS = ['period', 'operator', 'region', 'month'];

// The hash of a view, carrying the current period and filters unless overridden.
function hrefOf(view, id, overrides) {
  const current = parseHash().params;
  const q = new URLSearchParams();
  for (const k of FILTER_PARAMS) {
    const v = overrides && k in overrides ? overrides[k] : current.get(k);
    if (v) q.set(k, v);
  }
  const s = q.toString();
  return '#/' + view + (id ? '/' + encodeURIComponent(id) : '') + (s ? '?' + s : '');
}

function go(view, id, overrides) {
  const target = hrefOf(view, id, overrides);
  if (target === location.hash) render();
  else location.hash = target;
}

function disposeView() {
  for (const c of state.charts) c.dispose();
  state.charts = [];
  if (state.map) {
    state.map.remove();
    state.map = null;
  }
}

function stale(ctx) { return ctx.seq !== state.renderSeq; }

async function render() {
  const seq = ++state.renderSeq;
  const route = parseHash();
  const main = $('#view');
  clearMessages();
  disposeView();
  markTab(route.view, route.id);
  main.setAttribute('aria-busy', 'true');
  main.dataset.view = route.view;
  setContent(main, h('div', {class: 'loading'}, t('loading')));
  try {
    const periods = await loadPeriods();
    if (seq !== state.renderSeq) return;
    fillPeriodSelect(periods, route.params.get('period'));
    if (!periods.length) {
      setContent(main, h('div', {class: 'notice'}, t('no_periods')));
      return;
    }
    const period = periods.some(p => p.label === route.params.get('period'))
      ? route.params.get('period') : periods[periods.length - 1].label;
    // The list's entry carries the stored documents, the period's own answer the rest.
    const info = Object.assign({}, periods.find(p => p.label === period), await loadPeriodInfo(period));
    if (seq !== state.renderSeq) return;
    const filters = fillFilters(info, route);
    showPeriodMeta(info);
    const ctx = Object.assign({seq, route, period, info, el: main}, filters);
    await VIEWS[route.view](ctx);
  } catch (e) {
    if (seq !== state.renderSeq) return;
    setContent(main);
    showError(e);
  } finally {
    if (seq === state.renderSeq) {
      main.setAttribute('aria-busy', 'false');
      main.dataset.rendered = String(seq);  // the browser tests wait for this to pass a mark
    }
  }
}

function markTab(view, id) {
  for (const a of document.querySelectorAll('#tabs a')) {
    a.classList.toggle('active', a.dataset.view === view);
    const last = a.dataset.view === 'indicator' ? (id || lastIndicator()) : '';
    a.setAttribute('href', hrefOf(a.dataset.view, last));
  }
}

function lastIndicator() {
  try {
    return localStorage.getItem(LAST_INDICATOR_KEY) || '';
  } catch (e) {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// The shell: period select, filters, period facts.

function fillPeriodSelect(periods, selected) {
  const sel = $('#period-select');
  const chosen = periods.some(p => p.label === selected)
    ? selected : (periods.length ? periods[periods.length - 1].label : '');
  sel.replaceChildren(...periods.slice().reverse().map(p =>
    h('option', {value: p.label, selected: p.label === chosen}, p.label)));
}

function fillSelect(sel, allText, values, selected, label) {
  sel.replaceChildren(h('option', {value: ''}, allText),
    ...values.map(v => h('option', {value: v, selected: v === selected}, label ? label(v) : v)));
  sel.value = values.includes(selected) ? selected : '';
}

// Fills the filter selects from the period and returns the filters in force; a filter the
// period does not know (a link from another period) is dropped with a word.
function fillFilters(info, route) {
  const used = VIEW_FILTERS[route.view] || [];
  const lists = {operator: (info.operators || []).slice().sort(byOperatorOrder), region: info.regions || [],
    month: info.months || []};
  const out = {};
  for (const k of ['operator', 'region', 'month']) {
    const sel = $('#' + k + '-filter');
    const wanted = route.params.get(k) || '';
    fillSelect(sel, t(k === 'operator' ? 'all_operators' : k === 'region' ? 'all_regions' : 'all_months'),
      lists[k], wanted, k === 'operator' ? operatorLabel : null);
    const on = used.includes(k);
    sel.disabled = !on;
    sel.title = on ? '' : t('filter_not_used');
    if (wanted && !lists[k].includes(wanted)) {
      showMessage('info', t('unknown_filter', {period: info.label, what: t(k), value: wanted}));
    }
    out[k] = on && lists[k].includes(wanted) ? wanted : '';
  }
  return out;
}

function showPeriodMeta(info) {
  const parts = [t('meta_span', {from: dayOf(info.from), to: lastDayOf(info.to)})];
  if (info.previous) parts.push(t('meta_prev', {p: info.previous}));
  if (info.year_earlier) parts.push(t('meta_yoy', {p: info.year_earlier}));
  if (info.stored_at) parts.push(t('meta_stored', {t: info.stored_at.replace('T', ' ').replace(/:\d\dZ$/, ' UTC')}));
  $('#period-meta').textContent = parts.join(' · ');
}

function applyStaticStrings() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = 'tsq · ' + t('app_title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const b of document.querySelectorAll('.lang-toggle button')) {
    b.classList.toggle('active', b.dataset.lang === state.lang);
    b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
  }
}

function setLang(lang) {
  if (lang === state.lang) return;
  state.lang = lang;
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch (e) {
    // The choice then lasts for this page only.
  }
  applyStaticStrings();
  render();
}

function viewTitle(text, sub) {
  return h('div', {class: 'view-title'}, h('h1', {'data-test': 'view-title'}, text),
    sub ? h('span', {class: 'sub'}, sub) : null);
}

function scopeText(ctx) {
  const parts = [];
  if (ctx.operator) parts.push(operatorLabel(ctx.operator));
  if (ctx.region) parts.push(ctx.region);
  if (ctx.month) parts.push(ctx.month);
  return parts.length ? parts.join(' · ') : t('scope_all');
}

// ---------------------------------------------------------------------------------------------
// Overview: every indicator of the period against its target, grouped by section.

async function renderOverview(ctx) {
  const data = await api(periodPath(ctx.period, '/indicators'),
    {operator: ctx.operator, region: ctx.region, month: ctx.month, lang: state.lang});
  if (stale(ctx)) return;
  const content = [
    viewTitle(t('overview_title'), ctx.period + ' · ' + scopeText(ctx)),
    summaryCards(ctx),
  ];
  if (!data.values.length) {
    content.push(h('div', {class: 'notice', 'data-test': 'no-values'}, t('no_values')));
  } else {
    const tableEl = overviewTable(data);
    content.push(overviewToolbar(tableEl), panel(t('overview_title'), null,
      h('div', {class: 'body flush'}, tableEl)));
  }
  setContent(ctx.el, ...content);
  applyRowFilter(ctx.el.querySelector('[data-test=overview-table]'));
}

function summaryCards(ctx) {
  const summary = (ctx.info.summary || []).slice().sort((a, b) => byOperatorOrder(a.operator, b.operator));
  const cards = summary.map(s => {
    const total = s.met + s.missed + s.insufficient || 1;
    const selected = ctx.operator === s.operator;
    return h('button', {
      type: 'button', class: 'card' + (selected ? ' selected' : ''),
      'data-test': 'summary-card', 'data-operator': s.operator,
      onclick: () => go('overview', '', {operator: selected ? '' : s.operator}),
    },
    h('div', {class: 'name'}, operatorLabel(s.operator)),
    h('div', {class: 'counts'},
      ['met', 'missed', 'insufficient'].map(k =>
        h('span', {class: k}, h('b', {'data-count': k}, fmtInt(s[k])), ' ', t(k)))),
    h('div', {class: 'bar'}, ['met', 'missed', 'insufficient'].map(k =>
      h('span', {class: k, style: 'width:' + (100 * s[k] / total).toFixed(1) + '%'}))));
  });
  return h('div', null, h('div', {class: 'muted small'}, t('summary_title') + ' · ' + t('summary_hint')),
    h('div', {class: 'cards', 'data-test': 'summary-cards'}, cards));
}

function overviewToolbar(tableEl) {
  const count = h('span', {class: 'count', 'data-test': 'row-count'});
  const check = h('input', {type: 'checkbox', id: 'targets-only', checked: state.targetsOnly,
    onchange: e => { state.targetsOnly = e.target.checked; applyRowFilter(tableEl); }});
  const search = h('input', {type: 'search', id: 'indicator-search', value: state.search,
    placeholder: t('search_placeholder'),
    oninput: e => { state.search = e.target.value; applyRowFilter(tableEl); }});
  return h('div', {class: 'toolbar'}, h('label', null, check, ' ', t('targets_only')), search, count);
}

// Hides rows by the toolbar's choices without asking the server again; a section whose rows are
// all hidden hides its heading too.
function applyRowFilter(tableEl) {
  if (!tableEl) return;
  const needle = state.search.trim().toLowerCase();
  let shown = 0;
  let total = 0;
  let heading = null;
  let headingShown = false;
  const finish = () => { if (heading) heading.hidden = !headingShown; };
  for (const tr of tableEl.tBodies[0].rows) {
    if (tr.classList.contains('section')) {
      finish();
      heading = tr;
      headingShown = false;
      continue;
    }
    total++;
    const visible = (!state.targetsOnly || tr.dataset.hasTarget === '1') &&
      (!needle || tr.dataset.search.includes(needle));
    tr.hidden = !visible;
    if (visible) { shown++; headingShown = true; }
  }
  finish();
  const count = document.querySelector('[data-test=row-count]');
  if (count) count.textContent = t('rows_shown', {shown, total});
}

// Brackets as each language writes them.
function paren(text) { return state.lang === 'zh' ? '（' + text + '）' : ' (' + text + ')'; }

function withPeriod(label, period) { return period ? label + paren(period) : label; }

function overviewTable(data) {
  const hasPrev = data.values.some(v => v.previous);
  const hasYoy = data.values.some(v => v.year_earlier);
  const prevLabel = data.previous || (data.values.find(v => v.previous) || {previous: {}}).previous.period;
  const yoyLabel = data.year_earlier ||
    (data.values.find(v => v.year_earlier) || {year_earlier: {}}).year_earlier.period;
  const head = [t('col_indicator'), {text: t('col_value'), num: true}, {text: t('col_target'), num: true},
    t('col_verdict'), {text: t('col_n'), num: true}];
  if (hasPrev) head.push({text: withPeriod(t('col_prev'), prevLabel), num: true});
  if (hasYoy) head.push({text: withPeriod(t('col_yoy'), yoyLabel), num: true});
  const sections = data.sections.slice().sort((a, b) => a.order - b.order);
  const rows = [];
  for (const s of sections) {
    const values = data.values.filter(v => v.section === s.key);
    if (!values.length) continue;
    rows.push(h('tr', {class: 'section', 'data-section': s.key},
      h('td', {colspan: head.length}, s.title)));
    for (const v of values) rows.push(overviewRow(v, hasPrev, hasYoy));
  }
  return table(head, rows, {'data-test': 'overview-table', id: 'overview-table'});
}

function overviewRow(v, hasPrev, hasYoy) {
  const link = hrefOf('indicator', v.id);
  const valueCell = h('td', {class: 'num value', 'data-value': v.value === null ? '' : v.value},
    fmtValue(v.value, v.unit));
  if (v.ci) {
    valueCell.title = t('ci_title', {low: fmtValue(v.ci.low, v.unit), high: fmtValue(v.ci.high, v.unit)}) +
      (v.ci.inconclusive ? t('ci_inconclusive') : '');
  }
  const cells = [
    h('td', {class: 'name'}, h('a', {href: link}, v.name), h('span', {class: 'id'}, v.id)),
    valueCell,
    h('td', {class: 'num'}, fmtTarget(v.target, v.unit), basisTag(v.target)),
    h('td', null, verdictBadge(v.verdict)),
    h('td', {class: 'num'}, fmtInt(v.n)),
  ];
  if (hasPrev) cells.push(changeCell(v, v.previous, 'prev'));
  if (hasYoy) cells.push(changeCell(v, v.year_earlier, 'yoy'));
  return h('tr', {
    class: 'clickable', 'data-id': v.id, 'data-verdict': v.verdict || null,
    'data-has-target': v.target ? '1' : '0',
    'data-search': (v.name + ' ' + v.id).toLowerCase(),
    onclick: e => { if (!e.target.closest('a')) location.hash = link; },
  }, cells);
}

function changeCell(v, earlier, kind) {
  const c = change(v.value, earlier, v.unit, v.polarity);
  if (!c) return h('td', {class: 'num ' + kind, 'data-test': kind}, earlier ? '—' : '');
  return h('td', {
    class: 'num ' + kind, 'data-test': kind, 'data-earlier': earlier.value,
    title: t('earlier_title', {period: earlier.period, value: fmtValue(earlier.value, v.unit), n: fmtInt(earlier.n)}),
  }, h('span', {class: 'delta ' + c.tone}, c.text), h('span', {class: 'earlier'}, fmtValue(earlier.value, v.unit)));
}

// ---------------------------------------------------------------------------------------------
// Indicator trend: the figure across stored periods and months, and by region.

async function renderIndicator(ctx) {
  const catalog = await loadCatalog();
  if (stale(ctx)) return;
  const id = ctx.route.id;
  const picker = indicatorPicker(catalog, id);
  if (!id) {
    const last = lastIndicator();
    setContent(ctx.el, viewTitle(t('indicator_title')), picker,
      h('div', {class: 'notice'}, t('pick_prompt')));
    if (last) go('indicator', last);
    return;
  }
  try {
    localStorage.setItem(LAST_INDICATOR_KEY, id);
  } catch (e) {
    // Not remembered: the tab then opens the picker.
  }
  const scope = {operator: ctx.operator, region: ctx.region, lang: state.lang};
  const [history, current, byRegion, byOperator] = await allAnswers([
    api('/api/v1/indicators/' + encodeURIComponent(id) + '/history', scope),
    api(periodPath(ctx.period, '/indicators'), Object.assign({id}, scope)),
    api(periodPath(ctx.period, '/indicators'),
      {id, operator: ctx.operator, breakdown: 'region', lang: state.lang}),
    ctx.operator ? null : api(periodPath(ctx.period, '/indicators'),
      {id, region: ctx.region, breakdown: 'operator', lang: state.lang}),
  ]);
  if (stale(ctx)) return;
  const now = current.values[0] || null;
  const trendEl = h('div', {class: 'chart tall', id: 'trend-chart', 'data-test': 'trend-chart'});
  const regionEl = h('div', {class: 'chart', id: 'region-chart', 'data-test': 'region-chart'});
  const regions = byRegion.values;
  setContent(ctx.el, 
    h('a', {class: 'backlink', href: hrefOf('overview', '')}, t('back_overview')),
    viewTitle(history.name, ctx.period + ' · ' + scopeText(ctx)),
    picker,
    h('div', {class: 'grid-2'},
      panel(t('trend_title'), t('trend_hint'),
        h('div', {class: 'body'}, history.periods.length ? trendEl : h('div', {class: 'notice'}, t('no_history')))),
      panel(t('this_period') + ' ' + ctx.period, null,
        h('div', {class: 'body'}, indicatorFacts(history, now, catalog, ctx)))),
    h('div', {class: 'grid-2'},
      panel(t('regions_title', {period: ctx.period}), t('regions_hint'),
        h('div', {class: 'body'}, regions.length ? regionEl : h('div', {class: 'notice'}, t('no_period_value')))),
      panel(byOperator ? t('operators_title', {period: ctx.period}) : t('regions_title', {period: ctx.period}), null,
        h('div', {class: 'body flush'}, breakdownTable(byOperator ? byOperator.values : regions,
          byOperator ? 'operator' : 'region', history.unit, ctx)))));
  if (history.periods.length) trendChart(trendEl, history, ctx);
  if (regions.length) regionChart(regionEl, regions, history, ctx);
}

function indicatorPicker(catalog, id) {
  const sections = catalog.sections.slice().sort((a, b) => a.order - b.order);
  const nameKey = state.lang === 'zh' ? 'name_zh' : 'name_en';
  const titleKey = state.lang === 'zh' ? 'title_zh' : 'title_en';
  const select = h('select', {id: 'indicator-picker', 'data-test': 'indicator-picker',
    onchange: e => { if (e.target.value) go('indicator', e.target.value); }},
  h('option', {value: ''}, t('pick_prompt')),
  sections.map(s => h('optgroup', {label: s[titleKey]},
    catalog.indicators.filter(i => i.section === s.key).map(i =>
      h('option', {value: i.id, selected: i.id === id}, i[nameKey] + ' — ' + i.id)))));
  return h('div', {class: 'toolbar picker'}, h('label', {for: 'indicator-picker'}, t('pick_indicator')), select);
}

function indicatorFacts(history, now, catalog, ctx) {
  const def = catalog.indicators.find(i => i.id === history.id) || {};
  const section = catalog.sections.find(s => s.key === history.section) || {};
  const lang = state.lang;
  const target = (now && now.target) || history.target;
  const rows = [[t('facts_scope'), scopeText(ctx)]];
  if (!now) {
    rows.push([t('col_value'), h('span', {class: 'muted', 'data-test': 'indicator-value'}, t('no_period_value'))]);
  } else {
    rows.push([t('col_value'), h('b', {'data-test': 'indicator-value'}, fmtValue(now.value, history.unit))],
      [t('col_verdict'), verdictBadge(now.verdict)],
      [t('col_n'), fmtInt(now.n)]);
  }
  if (now && now.ci) {
    rows.push([t('facts_ci'), t('ci_title', {low: fmtValue(now.ci.low, history.unit), high: fmtValue(now.ci.high, history.unit)}) +
      (now.ci.inconclusive ? t('ci_inconclusive') : '')]);
  }
  if (now) {
    for (const [label, earlier] of [[t('col_prev'), now.previous], [t('col_yoy'), now.year_earlier]]) {
      const c = change(now.value, earlier, history.unit, history.polarity);
      if (c) {
        rows.push([label, h('span', null, h('span', {class: 'delta ' + c.tone}, c.text),
          h('span', {class: 'earlier'}, earlier.period + ': ' + fmtValue(earlier.value, history.unit)))]);
      }
    }
  }
  rows.push(
    [t('facts_target'), h('span', null, fmtTarget(target, history.unit),
      target && target.basis ? ' · ' + t('basis_' + target.basis + '_long') : '')],
    [t('facts_polarity'), t('polarity_' + history.polarity)],
    [t('facts_unit'), unitLabel(history.unit)],
    [t('facts_section'), section['title_' + lang] || history.section],
    [t('facts_id'), h('span', {class: 'mono'}, history.id)]);
  if (def['formula_' + lang]) rows.push([t('facts_formula'), def['formula_' + lang]]);
  if (def['source_' + lang]) rows.push([t('facts_source'), def['source_' + lang]]);
  return h('dl', {class: 'facts', 'data-test': 'indicator-facts'},
    rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

function breakdownTable(values, dim, unit, ctx) {
  if (!values.length) return h('div', {class: 'body muted'}, t('no_period_value'));
  const sorted = values.slice().sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity));
  const rows = sorted.map(v => h('tr', {
    'data-verdict': v.verdict || null,
    class: (dim === 'region' && v.group.region === ctx.region) ? 'selected' : null,
  },
  h('td', null, dim === 'operator' ? operatorLabel(v.group.operator) : v.group.region),
  h('td', {class: 'num value'}, fmtValue(v.value, unit)),
  h('td', null, verdictBadge(v.verdict)),
  h('td', {class: 'num'}, fmtInt(v.n)),
  h('td', {class: 'num'}, changeText(v, v.year_earlier))));
  return table([t(dim), {text: t('col_value'), num: true}, t('col_verdict'), {text: t('col_n'), num: true},
    {text: t('col_yoy'), num: true}], rows, {'data-test': 'breakdown-table'});
}

function changeText(v, earlier) {
  const c = change(v.value, earlier, v.unit, v.polarity);
  return c ? h('span', {class: 'delta ' + c.tone}, c.text) : '';
}

// ECharts' shared look: the page's fonts and a quiet palette.
function baseChart(el) {
  const chart = echarts.init(el, null, {renderer: 'canvas'});
  state.charts.push(chart);
  return chart;
}

// The page's font stack, read from the style sheet when a chart is first drawn.
function chartText() {
  const font = getComputedStyle(document.documentElement).getPropertyValue('--font').trim();
  return {fontFamily: font || 'sans-serif', fontSize: 12, color: '#1d2733'};
}

function axisFormatter(unit) {
  return v => (unit === 'ratio' ? fmtNum(v * 100, 1) + '%' : fmtNum(v, Math.abs(v) >= 100 ? 0 : 1));
}

// The y-range covers the figures and the target, so the target line is always in view.
function yRange(values, target, unit) {
  const all = values.filter(v => v !== null && Number.isFinite(v));
  if (target) all.push(target.value);
  if (!all.length) return {};
  let min = Math.min(...all);
  let max = Math.max(...all);
  const pad = (max - min) * 0.08 || Math.abs(max) * 0.05 || 0.01;
  min -= pad;
  max += pad;
  if (all.every(v => v >= 0)) min = Math.max(0, min);
  if (unit === 'ratio' && all.every(v => v <= 1)) max = Math.min(1, max);
  // Round to a step of the ticks, so the axis ends on a labelled value.
  const step = niceStep((max - min) / 5);
  return {min: Math.floor(min / step + 1e-9) * step, max: Math.ceil(max / step - 1e-9) * step, interval: step};
}

function niceStep(raw) {
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

function targetMarkLine(target, unit) {
  if (!target) return undefined;
  return {
    silent: true, symbol: 'none',
    lineStyle: {type: 'dashed', color: '#c62828', width: 1.5},
    label: {formatter: t('target') + '\n' + fmtTarget(target, unit), position: 'end', color: '#c62828'},
    data: [{yAxis: target.value}],
  };
}

function trendChart(el, history, ctx) {
  const unit = history.unit;
  const stored = (state.periods || []).slice().sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
  const mid = p => (Date.parse(p.from) + Date.parse(p.to)) / 2;
  const byPeriod = new Map(history.periods.map(p => [p.period, p]));
  // One point per stored period. A line joins only what is adjacent: a stored period without the
  // figure, or time no stored period covers, is a gap (a null point), not a join.
  const periodPoints = [];
  stored.forEach((p, i) => {
    if (i > 0 && Date.parse(stored[i - 1].to) !== Date.parse(p.from)) {
      periodPoints.push({value: [(Date.parse(stored[i - 1].to) + Date.parse(p.from)) / 2, null]});
    }
    const hp = byPeriod.get(p.label);
    periodPoints.push({
      value: [mid(p), hp ? hp.value : null], period: p.label, n: hp ? hp.n : null,
      verdict: hp ? hp.verdict : null,
      symbolSize: p.label === ctx.period ? 14 : 10,
      itemStyle: {color: VERDICT_COLORS[(hp && hp.verdict) || 'none']},
    });
  });
  const monthIndex = m => +m.slice(0, 4) * 12 + +m.slice(5, 7) - 1;
  const months = history.months.slice().sort((a, b) => monthIndex(a.month) - monthIndex(b.month));
  const monthPoints = [];
  months.forEach((m, i) => {
    if (i > 0 && monthIndex(m.month) - monthIndex(months[i - 1].month) > 1) {
      monthPoints.push({value: [Date.UTC(+m.month.slice(0, 4), +m.month.slice(5, 7) - 2, 1), null]});
    }
    monthPoints.push({
      value: [Date.UTC(+m.month.slice(0, 4), +m.month.slice(5, 7) - 1, 15), m.value],
      month: m.month, period: m.period, n: m.n, verdict: m.verdict,
      itemStyle: {color: VERDICT_COLORS[m.verdict || 'none']},
    });
  });
  const range = yRange(periodPoints.concat(monthPoints).map(p => p.value[1]), history.target, unit);
  const chart = baseChart(el);
  chart.setOption({
    textStyle: chartText(),
    animation: false,
    grid: {left: 64, right: 84, top: 36, bottom: 36},
    legend: {top: 4, data: [t('series_periods'), t('series_months')]},
    tooltip: {trigger: 'item', formatter: p => tooltipOf(p.data, unit)},
    xAxis: {type: 'time', axisLabel: {formatter: '{yyyy}-{MM}'}, splitLine: {show: false}},
    yAxis: {type: 'value', min: range.min, max: range.max, interval: range.interval,
      axisLabel: {formatter: axisFormatter(unit)}},
    series: [
      {id: 'periods', name: t('series_periods'), type: 'line', data: periodPoints, symbol: 'diamond',
        connectNulls: false, lineStyle: {width: 2.5, color: '#1f4e79'}, color: '#1f4e79', z: 3,
        label: {show: true, position: 'top', formatter: p => (p.data.value[1] === null ? '' : p.data.period)},
        markLine: targetMarkLine(history.target, unit)},
      {id: 'months', name: t('series_months'), type: 'line', data: monthPoints, symbol: 'circle',
        symbolSize: 6, connectNulls: false, lineStyle: {width: 1.2, color: '#7fa7cf'}, color: '#7fa7cf', z: 2},
    ],
  });
}

function tooltipOf(d, unit) {
  if (!d || d.value[1] === null) return '';
  const head = d.month ? d.month + ' (' + d.period + ')' : d.period;
  return head + '<br>' + fmtValue(d.value[1], unit) + ' · n = ' + fmtInt(d.n) +
    (d.verdict ? ' · ' + t(d.verdict) : '');
}

function regionChart(el, values, history, ctx) {
  const unit = history.unit;
  const sorted = values.slice().sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity));
  const target = (sorted[0] && sorted[0].target) || history.target;
  const range = yRange(sorted.map(v => v.value), target, unit);
  const chart = baseChart(el);
  chart.setOption({
    textStyle: chartText(),
    animation: false,
    grid: {left: 64, right: 84, top: 24, bottom: 40},
    tooltip: {trigger: 'item', formatter: p => p.name + '<br>' + fmtValue(p.value, unit) +
      ' · n = ' + fmtInt(p.data.n) + (p.data.verdict ? ' · ' + t(p.data.verdict) : '')},
    xAxis: {type: 'category', data: sorted.map(v => v.group.region), axisLabel: {interval: 0}},
    yAxis: {type: 'value', min: range.min, max: range.max, interval: range.interval,
      axisLabel: {formatter: axisFormatter(unit)}},
    series: [{
      id: 'regions', type: 'bar', barMaxWidth: 36,
      data: sorted.map(v => ({
        value: v.value, n: v.n, verdict: v.verdict,
        itemStyle: {
          color: VERDICT_COLORS[v.verdict || 'none'],
          borderColor: v.group.region === ctx.region ? '#1d2733' : undefined,
          borderWidth: v.group.region === ctx.region ? 2 : 0,
        },
      })),
      markLine: targetMarkLine(target, unit),
    }],
  });
}

// ---------------------------------------------------------------------------------------------
// Map: poor cells and the baseline's poor cells' remediation.

function cellClass(p) {
  if (p.remediation === 'still_poor') return 'still_poor';
  if (p.verdict === 'poor') return 'poor';
  if (p.remediation === 'unverified') return 'unverified';
  if (p.remediation === 'remediated') return 'remediated';
  if (p.verdict === 'not_poor') return 'not_poor';
  return 'not_measured';
}

async function renderMap(ctx) {
  const op = {operator: ctx.operator};
  const [geo, cells, kpis] = await allAnswers([
    loadFinding(ctx, 'cells.geojson', periodPath(ctx.period, '/cells'), Object.assign({format: 'geojson'}, op)),
    loadFinding(ctx, 'cells.json', periodPath(ctx.period, '/cells'), op),
    api(periodPath(ctx.period, '/indicators'), {id: 'speedtests.*', operator: ctx.operator, lang: state.lang}),
  ]);
  if (stale(ctx)) return;
  const title = viewTitle(t('map_title'), ctx.period + ' · ' + scopeText(ctx) +
    (cells && cells.baseline ? ' · ' + t('baseline') + ' ' + cells.baseline : ''));
  if (!geo || !cells) {
    setContent(ctx.el, title, h('div', {class: 'notice', 'data-test': 'finding-missing'}, t('no_speedtests')));
    return;
  }
  const mapEl = h('div', {id: 'cell-map', 'data-test': 'cell-map'});
  const legend = h('div', {class: 'legend', 'data-test': 'map-legend'});
  setContent(ctx.el, 
    title,
    cellKpis(kpis.values),
    h('div', {class: 'grid-2'},
      panel(t('map_title'), t('map_hint'), [h('div', {class: 'body'}, legend), mapEl]),
      h('div', null,
        comparisonPanel(cells),
        panel(t('poor_now_title'), null, h('div', {class: 'body flush scroll-x'}, poorCellsTable(cells.cells))))),
    panel(t('remediation_title'), null, h('div', {class: 'body flush'}, remediationTable(cells.cells))));
  const layers = drawCells(mapEl, geo.features, legend);
  for (const tr of ctx.el.querySelectorAll('tr[data-cell]')) {
    tr.addEventListener('click', () => focusCell(layers.get(tr.dataset.cell)));
  }
}

function cellKpis(values) {
  const byId = new Map(values.map(v => [v.id, v]));
  const items = [
    ['speedtests.measured_cells', 'kpi_measured'], ['speedtests.poor_cells', 'kpi_poor'],
    ['speedtests.baseline_poor_cells', 'kpi_baseline_poor'], ['speedtests.remediated_cells', 'kpi_remediated'],
    ['speedtests.still_poor_cells', 'kpi_still_poor'], ['speedtests.unverified_cells', 'kpi_unverified'],
    ['speedtests.remediation_rate', 'kpi_remediation_rate'],
  ].filter(([id]) => byId.has(id));
  return h('div', {class: 'panel', 'data-test': 'cell-kpis'}, h('div', {class: 'body'}, items.map(([id, key]) => {
    const v = byId.get(id);
    return h('span', {class: 'stat'}, h('span', {class: 'label'}, t(key)),
      h('span', {class: 'value'}, fmtValue(v.value, v.unit), v.verdict ? [' ', verdictBadge(v.verdict)] : null));
  })));
}

function comparisonPanel(cells) {
  const c = cells.comparison;
  if (!c) return null;
  const line = g => (g ? t('bad_share_change', {cells: fmtInt(g.cells), before: fmtPct(g.before, 1),
    after: fmtPct(g.after, 1), change: signed(fmtNum(Math.abs(g.change) * 100, 1), g.change) + ' ' + t('pp')}) : '—');
  return panel(t('comparison_title'), null, h('div', {class: 'body'}, h('dl', {class: 'facts'},
    h('dt', null, t('treated')), h('dd', null, line(c.treated)),
    h('dt', null, t('control')), h('dd', null, line(c.control)),
    h('dt', null, t('net_change')), h('dd', null, c.net_change === null || c.net_change === undefined ? '—'
      : h('b', null, signed(fmtNum(Math.abs(c.net_change) * 100, 1), c.net_change) + ' ' + t('pp'))))));
}

function cellName(c) { return (c.kind === 'tile' ? t('tile') + ' ' : '') + c.id; }

function figuresText(f) {
  if (!f) return '—';
  return fmtInt(f.samples) + ' / ' + fmtInt(f.bad) + paren(fmtPct(f.bad_share, 1));
}

function poorCellsTable(cells) {
  const poor = cells.filter(c => c.now && c.now.verdict === 'poor')
    .sort((a, b) => b.now.lower - a.now.lower);
  if (!poor.length) return h('div', {class: 'body muted'}, t('none'));
  // Narrow enough for the column beside the map; the popup has the rest of the figures.
  return table([t('operator'), t('col_cell'), {text: t('col_tests'), num: true},
    {text: t('col_bad_share'), num: true}, {text: t('col_lower'), num: true}, t('col_status')],
  poor.map(c => h('tr', {class: 'clickable', 'data-cell': c.operator + '|' + c.id},
    h('td', null, operatorLabel(c.operator)),
    h('td', null, h('span', {class: 'chip'}, c.rat), h('span', {class: 'mono'}, cellName(c))),
    h('td', {class: 'num'}, fmtInt(c.now.tests)), h('td', {class: 'num'}, fmtPct(c.now.bad_share, 1)),
    h('td', {class: 'num'}, fmtPct(c.now.lower, 1)),
    h('td', null, c.remediation === 'still_poor' ? h('span', {class: 'status still_poor'}, t('status_still_poor'))
      : h('span', {class: 'status poor'}, t('status_poor'))))), {'data-test': 'poor-cells-table'});
}

function remediationTable(cells) {
  const order = {still_poor: 0, unverified: 1, remediated: 2};
  const list = cells.filter(c => c.remediation).sort((a, b) => order[a.remediation] - order[b.remediation]);
  if (!list.length) return h('div', {class: 'body muted', 'data-test': 'remediation-table'}, t('none'));
  return table([t('operator'), t('col_rat'), t('col_cell'), t('col_status'), {text: t('col_before'), num: true},
    {text: t('col_after'), num: true}, t('col_work_order')],
  list.map(c => h('tr', {class: 'clickable', 'data-cell': c.operator + '|' + c.id, 'data-remediation': c.remediation},
    h('td', null, operatorLabel(c.operator)), h('td', null, c.rat), h('td', {class: 'mono'}, cellName(c)),
    h('td', null, h('span', {class: 'status ' + c.remediation}, t('status_' + c.remediation))),
    h('td', {class: 'num'}, figuresText(c.before)), h('td', {class: 'num'}, figuresText(c.now)),
    h('td', null, c.work_order || '—'))), {'data-test': 'remediation-table'});
}

// Draws every cell as a circle marker over a plain background and a graticule (no tiles: the
// page must work without internet), least important first so poor cells lie on top.
function drawCells(el, features, legend) {
  // SVG markers (not canvas) so each cell is an element the tests and screen readers can find;
  // no fade, so a screenshot never catches a half-drawn popup.
  const map = L.map(el, {attributionControl: false, zoomSnap: 0.25, preferCanvas: false, fadeAnimation: false});
  state.map = map;
  L.control.scale({metric: true, imperial: false}).addTo(map);
  const counts = {};
  const layers = new Map();
  const points = [];
  const sorted = features.slice().sort((a, b) =>
    CELL_CLASSES.indexOf(cellClass(b.properties)) - CELL_CLASSES.indexOf(cellClass(a.properties)));
  for (const f of sorted) {
    const p = f.properties;
    const cls = cellClass(p);
    counts[cls] = (counts[cls] || 0) + 1;
    const ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
    points.push(ll);
    const tile = p.kind === 'tile';
    const marker = L.circleMarker(ll, {
      radius: tile ? 4 : 4 + Math.min(6, Math.sqrt(p.tests || 0) / 2),
      color: tile ? '#666' : '#333', weight: cls === 'not_poor' || tile ? 0.6 : 1.2,
      dashArray: tile ? '2 2' : null, fillColor: CELL_COLORS[cls],
      fillOpacity: tile ? 0.5 : 0.85, className: 'cell-marker cell-' + cls,
    });
    marker.bindPopup(() => cellPopup(p, cls));
    marker.addTo(map);
    layers.set(p.operator + '|' + p.id, marker);
  }
  if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.05));
  else map.setView([43.5, 125.5], 6);
  drawGraticule(map);
  legend.replaceChildren(...CELL_CLASSES.filter(c => counts[c]).map(c =>
    h('span', {'data-class': c}, h('i', {style: 'background:' + CELL_COLORS[c]}), t('cls_' + c), ' ',
      h('b', null, fmtInt(counts[c])))));
  return layers;
}

function focusCell(layer) {
  if (!layer || !state.map) return;
  state.map.setView(layer.getLatLng(), Math.max(state.map.getZoom(), 11));
  layer.openPopup();
}

function cellPopup(p, cls) {
  const rows = [
    [t('popup_operator'), operatorLabel(p.operator) + ' ' + p.rat],
    [t('popup_status'), t('cls_' + cls)],
    [t('col_tests'), p.tests === null ? '0' : fmtInt(p.tests)],
    [t('col_devices'), p.devices === null ? '—' : fmtInt(p.devices)],
    [t('col_bad_share'), fmtPct(p.bad_share, 1)],
    [t('col_lower'), fmtPct(p.lower, 1)],
    [t('col_median'), fmtValue(p.median_down_mbps, 'mbps')],
    [t('col_p10'), fmtValue(p.p10_down_mbps, 'mbps')],
    [t('popup_baseline'), p.baseline_tests === null ? '—' : fmtInt(p.baseline_tests) + ' / ' + fmtPct(p.baseline_bad_share, 1)],
  ];
  if (p.work_order) rows.push([t('col_work_order'), p.work_order]);
  return h('div', {class: 'cell-popup'}, h('b', null, cellName(p)),
    h('table', null, rows.map(([k, v]) => h('tr', null, h('th', null, k), h('td', null, v)))));
}

// A grid of round degrees, redrawn as the view moves: a sense of place without map tiles.
function drawGraticule(map) {
  const grid = L.layerGroup().addTo(map);
  const steps = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];
  const style = {color: '#c8bfae', weight: 1, interactive: false};
  const label = (text, anchor) => L.divIcon({className: 'grid-label', html: text, iconSize: null, iconAnchor: anchor});
  const draw = () => {
    grid.clearLayers();
    const b = map.getBounds();
    const span = Math.max(b.getNorth() - b.getSouth(), b.getEast() - b.getWest());
    const step = steps.find(s => span / s <= 12) || 10;
    const digits = Math.max(0, -Math.floor(Math.log10(step)));
    for (let x = Math.ceil(b.getWest() / step) * step; x <= b.getEast(); x += step) {
      grid.addLayer(L.polyline([[b.getSouth(), x], [b.getNorth(), x]], style));
      grid.addLayer(L.marker([b.getSouth(), x], {interactive: false, keyboard: false,
        icon: label(x.toFixed(digits) + '°E', [-2, 14])}));
    }
    for (let y = Math.ceil(b.getSouth() / step) * step; y <= b.getNorth(); y += step) {
      grid.addLayer(L.polyline([[y, b.getWest()], [y, b.getEast()]], style));
      grid.addLayer(L.marker([y, b.getWest()], {interactive: false, keyboard: false,
        icon: label(y.toFixed(digits) + '°N', [-2, 12])}));
    }
  };
  map.on('moveend', draw);
  draw();
}

// ---------------------------------------------------------------------------------------------
// Broadband: compliance and the lines below plan.

async function renderBroadband(ctx) {
  const [doc, scoped, byOperator] = await allAnswers([
    loadFinding(ctx, 'broadband.json', periodPath(ctx.period, '/broadband'), {operator: ctx.operator}),
    api(periodPath(ctx.period, '/indicators'),
      {id: 'broadband_tests.*', operator: ctx.operator, region: ctx.region, lang: state.lang}),
    ctx.operator ? null : api(periodPath(ctx.period, '/indicators'),
      {id: 'broadband_tests.*', region: ctx.region, breakdown: 'operator', lang: state.lang}),
  ]);
  if (stale(ctx)) return;
  const title = viewTitle(t('broadband_title'), ctx.period + ' · ' + scopeText(ctx));
  if (!doc) {
    setContent(ctx.el, title, h('div', {class: 'notice', 'data-test': 'finding-missing'}, t('no_broadband')));
    return;
  }
  const lines = doc.lines.filter(l => !ctx.region || l.region === ctx.region);
  const ratio = doc.rule && doc.rule.min_ratio !== undefined ? fmtPct(doc.rule.min_ratio, 0) : '90%';
  setContent(ctx.el, 
    title,
    h('p', {class: 'muted'}, t('broadband_rule', {ratio})),
    h('div', {class: 'grid-2'},
      panel(t('compliance_title'), null, h('div', {class: 'body flush'},
        complianceTable(scoped.values, byOperator ? byOperator.values : [], ctx))),
      panel(t('plans_title'), null, h('div', {class: 'body flush'}, plansTable(lines)))),
    panel(t('below_title'), null, h('div', {class: 'body flush'}, belowPlanTable(lines))));
}

// One row per scope (all, then each operator) from the compliance indicators, so the figures and
// verdicts are the period's official ones, not recounted here.
function complianceTable(scoped, byOperator, ctx) {
  const scopes = [{label: ctx.operator ? operatorLabel(ctx.operator) : t('all_scope'), values: scoped}];
  const ops = [...new Set(byOperator.map(v => v.group.operator))].sort(byOperatorOrder);
  for (const op of ops) scopes.push({label: operatorLabel(op), values: byOperator.filter(v => v.group.operator === op)});
  const rows = scopes.map(s => {
    const get = id => s.values.find(v => v.id === id);
    const rate = get('broadband_tests.compliance_rate');
    const tested = get('broadband_tests.tested_lines');
    const compliant = get('broadband_tests.compliant_lines');
    return h('tr', {'data-verdict': rate && rate.verdict ? rate.verdict : null},
      h('td', null, s.label),
      h('td', {class: 'num'}, tested ? fmtInt(tested.value) : '—'),
      h('td', {class: 'num'}, compliant ? fmtInt(compliant.value) : '—'),
      h('td', {class: 'num value'}, rate ? fmtValue(rate.value, 'ratio') : '—'),
      h('td', {class: 'num'}, rate ? fmtTarget(rate.target, 'ratio') : '—', rate ? basisTag(rate.target) : null),
      h('td', null, rate ? verdictBadge(rate.verdict) : '—'));
  });
  return table([t('col_scope'), {text: t('col_lines'), num: true}, {text: t('col_compliant'), num: true},
    {text: t('col_rate'), num: true}, {text: t('col_target'), num: true}, t('col_verdict')], rows,
  {'data-test': 'compliance-table'});
}

function plansTable(lines) {
  const plans = new Map();
  for (const l of lines) {
    const p = plans.get(l.plan_down_mbps) || {lines: 0, compliant: 0};
    p.lines++;
    if (l.compliant) p.compliant++;
    plans.set(l.plan_down_mbps, p);
  }
  const rows = [...plans.entries()].sort((a, b) => a[0] - b[0]).map(([plan, p]) => h('tr', null,
    h('td', null, fmtValue(plan, 'mbps')), h('td', {class: 'num'}, fmtInt(p.lines)),
    h('td', {class: 'num'}, fmtInt(p.compliant)), h('td', {class: 'num'}, fmtPct(p.compliant / p.lines, 2))));
  return table([t('col_plan'), {text: t('col_lines'), num: true}, {text: t('col_compliant'), num: true},
    {text: t('col_rate'), num: true}], rows, {'data-test': 'plans-table'});
}

function belowPlanTable(lines) {
  const below = lines.filter(l => !l.compliant).sort((a, b) => a.ratio - b.ratio);
  if (!below.length) return h('div', {class: 'body muted', 'data-test': 'below-plan-table'}, t('none'));
  const rows = [];
  for (const l of below) {
    const worst = l.tests.reduce((m, x) => (m === null || x.ratio < m.ratio ? x : m), null);
    const detail = h('tr', {class: 'detail', hidden: true}, h('td', {colspan: 8, class: 'wrap'}, linesTests(l)));
    rows.push(h('tr', {class: 'clickable', 'data-line': l.line_id, onclick: () => { detail.hidden = !detail.hidden; }},
      h('td', null, operatorLabel(l.operator)), h('td', null, l.region || '—'), h('td', {class: 'mono'}, l.line_id),
      h('td', {class: 'num'}, fmtValue(l.plan_down_mbps, 'mbps')), h('td', {class: 'num'}, fmtInt(l.tests.length)),
      h('td', {class: 'num'}, fmtValue(l.mean_down_mbps, 'mbps')),
      h('td', {class: 'num value', style: 'color:var(--missed)'}, fmtPct(l.ratio, 1)),
      h('td', {class: 'num'}, worst ? fmtPct(worst.ratio, 1) : '—')), detail);
  }
  return table([t('operator'), t('region'), t('col_line'), {text: t('col_plan'), num: true},
    {text: t('col_tests'), num: true}, {text: t('col_mean'), num: true}, {text: t('col_of_plan'), num: true},
    {text: t('col_worst'), num: true}], rows, {'data-test': 'below-plan-table'});
}

function linesTests(line) {
  return h('div', {class: 'small'}, h('b', null, t('tests_of_line') + ' '),
    line.tests.map(x => h('span', {class: 'chip'},
      x.tested_at.replace('T', ' ').slice(0, 16) + ' · ' + fmtValue(x.down_mbps, 'mbps') + ' · ' + fmtPct(x.ratio, 1))));
}

// ---------------------------------------------------------------------------------------------
// Callers: the masked list of suspected numbers, with their evidence.

async function renderCallers(ctx) {
  const doc = await loadFinding(ctx, 'callers.json', periodPath(ctx.period, '/callers'), {operator: ctx.operator});
  if (stale(ctx)) return;
  const title = viewTitle(t('callers_title'), ctx.period + ' · ' + scopeText(ctx));
  if (!doc || !doc.callers) {
    setContent(ctx.el, title, h('div', {class: 'notice', 'data-test': 'finding-missing'}, t('no_calls')));
    return;
  }
  // Filtered here too: the list is the period's whole list whatever the query asked.
  const list = (doc.list || []).filter(c =>
    (!ctx.operator || c.operator === ctx.operator) && (!ctx.region || c.region === ctx.region));
  setContent(ctx.el, 
    title,
    h('p', {class: 'muted'}, t('callers_stats', {callers: fmtInt(doc.callers), judged: fmtInt(doc.judged),
      suspected: fmtInt(doc.suspected), cleared: fmtInt(doc.cleared)}) + ' ' +
      t('callers_scorer', {scorer: doc.scorer === 'rules' ? t('scorer_rules') : doc.scorer}) + (doc.numbers_shown ? '' : ' ' + t('callers_masked'))),
    panel(t('callers_title'), null, h('div', {class: 'body flush'},
      list.length ? callersTable(list) : h('div', {class: 'body muted', 'data-test': 'callers-table'}, t('no_suspects')))));
}

function callersTable(list) {
  const rows = list.map(c => {
    const f = c.features || {};
    return h('tr', {'data-rank': c.rank},
      h('td', {class: 'num'}, c.rank), h('td', {class: 'mono'}, c.caller),
      h('td', null, operatorLabel(c.operator)), h('td', null, c.region || '—'),
      h('td', {class: 'num'}, fmtNum(c.score, 2)),
      h('td', {class: 'wrap'}, (c.rules || []).map(r => h('span', {class: 'chip', title: r}, t('rule_' + r)))),
      h('td', {class: 'num'}, fmtInt(f.calls)), h('td', {class: 'num'}, fmtNum(f.calls_per_active_day, 1)),
      h('td', {class: 'num'}, fmtInt(f.distinct_callees)), h('td', {class: 'num'}, fmtPct(f.answer_rate, 1)),
      h('td', {class: 'num'}, fmtPct(f.callback_ratio, 1)), h('td', {class: 'num'}, fmtPct(f.short_answered_share, 1)),
      h('td', {class: 'num'}, fmtInt(f.imeis)),
      h('td', {class: 'num'}, (c.first_day || '') + ' – ' + (c.last_day || '') +
        (f.active_days ? paren(fmtInt(f.active_days)) : '')));
  });
  return table([{text: t('col_rank'), num: true}, t('col_number'), t('operator'), t('region'),
    {text: t('col_score'), num: true}, t('col_rules'), {text: t('col_calls'), num: true},
    {text: t('col_per_day'), num: true}, {text: t('col_callees'), num: true}, {text: t('col_answered'), num: true},
    {text: t('col_callback'), num: true}, {text: t('col_short'), num: true}, {text: t('col_imeis'), num: true},
    {text: t('col_days'), num: true}], rows, {'data-test': 'callers-table'});
}

// ---------------------------------------------------------------------------------------------
// Data quality: what was read, kept and quarantined, file by file.

async function renderDataQuality(ctx) {
  const dq = await api(periodPath(ctx.period, '/data-quality'));
  if (stale(ctx)) return;
  const files = dq.files || [];
  const rows = files.map(f => h('tr', {'data-quarantined': f.rows_quarantined > 0 ? '1' : '0'},
    h('td', {class: 'mono'}, f.sheet ? f.path + '[' + f.sheet + ']' : f.path), h('td', null, f.type),
    h('td', {class: 'num'}, fmtInt(f.rows_read)), h('td', {class: 'num'}, fmtInt(f.rows_accepted)),
    h('td', {class: 'num', style: f.rows_quarantined > 0 ? 'color:var(--missed);font-weight:600' : null},
      fmtInt(f.rows_quarantined)),
    h('td', {class: 'wrap'}, Object.entries(f.quarantined_by_reason || {}).map(([r, n]) =>
      h('span', {class: 'chip'}, r + ' ' + fmtInt(n)))),
    h('td', {class: 'num'}, fmtBytes(f.size_bytes)),
    h('td', {class: 'num'}, f.from ? dayOf(f.from) + ' – ' + dayOf(f.to) : '—'),
    h('td', {class: 'mono', title: f.sha256}, (f.sha256 || '').slice(0, 12))));
  rows.push(h('tr', {class: 'total'}, h('td', null, t('dq_total')), h('td'),
    h('td', {class: 'num'}, fmtInt(dq.rows_read)), h('td', {class: 'num'}, fmtInt(dq.rows_accepted)),
    h('td', {class: 'num'}, fmtInt(dq.rows_quarantined)), h('td'),
    // A workbook read by its sheets is one file on disk: its size counts once.
    h('td', {class: 'num'}, fmtBytes([...new Map(files.map(f => [f.path, f.size_bytes || 0])).values()]
      .reduce((s, n) => s + n, 0))), h('td'), h('td')));
  const stats = [[t('dq_rows_read'), dq.rows_read], [t('dq_rows_kept'), dq.rows_accepted],
    [t('dq_rows_quarantined'), dq.rows_quarantined]];
  setContent(ctx.el, 
    viewTitle(t('dq_title'), ctx.period + (dq.dir ? ' · ' + t('dq_dir') + ' ' + dq.dir : '')),
    h('div', {class: 'panel'}, h('div', {class: 'body'}, stats.map(([k, v]) =>
      h('span', {class: 'stat'}, h('span', {class: 'label'}, k), h('span', {class: 'value'}, fmtInt(v)))))),
    panel(t('dq_files'), null, h('div', {class: 'body flush'}, table([t('col_file'), t('col_type'),
      {text: t('dq_rows_read'), num: true}, {text: t('dq_rows_kept'), num: true},
      {text: t('dq_rows_quarantined'), num: true}, t('col_reasons'), {text: t('col_size'), num: true},
      {text: t('col_span'), num: true}, t('col_sha')], rows, {'data-test': 'dq-table'}))),
    (dq.ignored && dq.ignored.length) ? panel(t('dq_ignored'), null, h('div', {class: 'body'},
      dq.ignored.map(f => h('span', {class: 'chip mono'}, f)))) : null,
    dq.quarantine_file ? h('p', {class: 'muted'}, t('dq_quarantine_file') + ': ', h('span', {class: 'mono'}, dq.quarantine_file)) : null);
}

// ---------------------------------------------------------------------------------------------
// Downloads: the period's reports. The links are fetched by script so that the token (when the
// server has one) goes in the Authorization header and errors show here; the file is saved
// through a blob URL.

function renderDownloads(ctx) {
  const docs = ctx.info.documents || [];
  const formats = ['html', 'xlsx', 'pdf'];
  const block = lang => panel(t('report_' + lang), null, h('div', {class: 'body'}, h('ul', null, formats.map(fmt => {
    const stored = docs.includes('report.' + lang + '.' + (fmt === 'pdf' ? 'html' : fmt));
    const url = periodPath(ctx.period, '/reports/' + lang + '.' + fmt);
    const name = 'tsq-' + ctx.period + '-' + lang + '.' + fmt;
    const status = h('span', {class: 'busy', 'data-test': 'download-status-' + lang + '-' + fmt});
    const link = stored
      ? h('a', {href: url, class: 'download', download: name, 'data-test': 'download-' + lang + '-' + fmt,
        onclick: e => { e.preventDefault(); download(url, name, status); }}, fmt.toUpperCase())
      : h('span', {class: 'unavailable'}, fmt.toUpperCase() + ' · ' + t('not_stored'));
    return h('li', null, link, h('span', {class: 'muted'}, t('fmt_' + fmt)), status);
  }))));
  setContent(ctx.el, 
    viewTitle(t('downloads_title'), ctx.period),
    h('p', {class: 'muted'}, t('downloads_hint')),
    h('div', {class: 'downloads', 'data-test': 'downloads'}, block('zh'), block('en')));
}

async function download(url, name, status) {
  status.textContent = t('downloading');
  try {
    const res = await authFetch(url);
    if (!res.ok) throw await errorOf(res, url);
    const blob = await res.blob();
    const objectUrl = URL.createObjectURL(blob);
    const a = h('a', {href: objectUrl, download: name, hidden: true});
    document.body.append(a);
    a.click();
    a.remove();
    // The browser has started saving; the blob can go once it has read it.
    setTimeout(() => URL.revokeObjectURL(objectUrl), 60000);
    status.textContent = t('downloaded');
  } catch (e) {
    status.textContent = '';
    showError(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Start.

function init() {
  applyStaticStrings();
  for (const b of document.querySelectorAll('.lang-toggle button')) {
    b.addEventListener('click', () => setLang(b.dataset.lang));
  }
  $('#period-select').addEventListener('change', e => {
    const r = parseHash();
    go(r.view, r.id, {period: e.target.value});
  });
  for (const k of ['operator', 'region', 'month']) {
    $('#' + k + '-filter').addEventListener('change', e => {
      const r = parseHash();
      go(r.view, r.id, {[k]: e.target.value});
    });
  }
  window.addEventListener('hashchange', render);
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const c of state.charts) c.resize();
      if (state.map) state.map.invalidateSize();
    }, 100);
  });
  // A script error must not pass silently either.
  window.addEventListener('unhandledrejection', e => showError(e.reason));
  render();
}

// For the browser tests: the state they inspect (charts, map), read-only by convention.
window.tsqDashboard = {state};

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
})();
