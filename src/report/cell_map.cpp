#include "report/cell_map.h"

#include <string_view>

#include <nlohmann/json.hpp>

#include "report/report_format.h"

namespace tsq {

// Leaflet's script and style sheet, embedded at build time from Debian's libjs-leaflet.
extern const std::string_view kLeafletJs;
extern const std::string_view kLeafletCss;

namespace {

// JSON inside a <script> element: "</" would end the element.
std::string ScriptJson(const nlohmann::ordered_json& j) {
  std::string s = j.dump();
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

constexpr std::string_view kStyle = R"CSS(
html, body { height: 100%; margin: 0; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       sans-serif; }
#map { position: absolute; inset: 0; }
#map.offline { background: #f4f1ea; }
.tsq-box { background: rgba(255, 255, 255, 0.94); padding: 8px 10px; border-radius: 4px;
           box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3); font-size: 13px; line-height: 1.5; }
.tsq-box h1 { font-size: 15px; margin: 0 0 2px; }
.tsq-box .rule { color: #555; max-width: 360px; font-size: 12px; }
.tsq-legend i { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
                margin-right: 6px; vertical-align: -1px; border: 1px solid #333; }
.tsq-legend i.square { border-radius: 0; }
.tsq-popup table { border-collapse: collapse; font-size: 12px; }
.tsq-popup th { text-align: left; font-weight: normal; color: #555; padding-right: 10px; }
.tsq-popup td { text-align: right; }
.tsq-place { color: #5a4a3a; font-size: 13px; font-weight: bold; white-space: nowrap;
             text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
.tsq-grid-label { color: #8a8070; font-size: 10px; white-space: nowrap; }
)CSS";

// Draws the cells and tiles, the legend, the scale, popups, and the offline grid. Every text a
// person reads comes from TEXT (zh or en).
constexpr std::string_view kScript = R"JS(
(function () {
  'use strict';
  const COLORS = {still_poor: '#7f0000', poor: '#d7301f', unverified: '#f28e2b',
                  remediated: '#1a9850', not_poor: '#4575b4', not_measured: '#b0b0b0'};
  const ORDER = ['still_poor', 'poor', 'unverified', 'remediated', 'not_poor', 'not_measured'];
  const el = document.getElementById('map');
  const map = L.map(el, {zoomControl: true, attributionControl: !!OPTIONS.tiles});
  if (OPTIONS.tiles) {
    L.tileLayer(OPTIONS.tiles, {attribution: OPTIONS.attribution || '', maxZoom: 19}).addTo(map);
  } else {
    el.classList.add('offline');
  }
  L.control.scale({metric: true, imperial: false}).addTo(map);

  function esc(s) {
    return String(s).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;',
                                                  '"': '&quot;', "'": '&#39;'}[c]));
  }
  function pct(v) { return v === null || v === undefined ? '—' : (v * 100).toFixed(2) + '%'; }
  function num(v, d) { return v === null || v === undefined ? '—' : Number(v).toFixed(d); }
  function classOf(p) {
    if (p.remediation === 'still_poor') return 'still_poor';
    if (p.verdict === 'poor') return 'poor';
    if (p.remediation === 'unverified') return 'unverified';
    if (p.remediation === 'remediated') return 'remediated';
    if (p.verdict === 'not_poor') return 'not_poor';
    return 'not_measured';
  }
  // The corners of a zoom-n quadkey tile.
  function tileBounds(q) {
    let x = 0, y = 0;
    for (const ch of q) { const d = ch.charCodeAt(0) - 48; x = x * 2 + (d & 1); y = y * 2 + (d >> 1); }
    const n = Math.pow(2, q.length);
    const lon = v => v / n * 360 - 180;
    const lat = v => Math.atan(Math.sinh(Math.PI * (1 - 2 * v / n))) * 180 / Math.PI;
    return [[lat(y + 1), lon(x)], [lat(y), lon(x + 1)]];
  }
  function popup(p, cls) {
    const rows = [
      [TEXT.operator, esc(p.operator_label) + ' ' + esc(p.rat)],
      [TEXT.status, esc(TEXT.classes[cls])],
      [TEXT.tests, p.tests === null ? '0' : p.tests],
      [TEXT.bad_share, pct(p.bad_share)],
      [TEXT.lower, pct(p.lower)],
      [TEXT.median, num(p.median_down_mbps, 1) + ' Mbps'],
      [TEXT.p10, num(p.p10_down_mbps, 1) + ' Mbps'],
      [TEXT.devices, p.devices === null ? '—' : p.devices],
      [TEXT.baseline, p.baseline_tests === null ? '—' :
          p.baseline_tests + ' / ' + pct(p.baseline_bad_share)]];
    if (p.work_order) rows.push([TEXT.work_order, esc(p.work_order)]);
    return '<div class="tsq-popup"><b>' + esc((p.kind === 'tile' ? TEXT.tile + ' ' : '') + p.id) +
        '</b><table>' + rows.map(r => '<tr><th>' + r[0] + '</th><td>' + r[1] + '</td></tr>')
        .join('') + '</table></div>';
  }

  const counts = {};
  const points = [];
  // Draw the least important first, so that poor cells lie on top.
  const features = DATA.features.slice().sort(
      (a, b) => ORDER.indexOf(classOf(b.properties)) - ORDER.indexOf(classOf(a.properties)));
  for (const f of features) {
    const p = f.properties;
    const cls = classOf(p);
    counts[cls] = (counts[cls] || 0) + 1;
    const ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
    points.push(ll);
    const color = COLORS[cls];
    const layer = p.kind === 'tile'
        ? L.rectangle(tileBounds(p.id), {color: color, weight: 1, fillColor: color,
                                         fillOpacity: 0.35, className: 'tsq-' + cls})
        : L.circleMarker(ll, {radius: 4 + Math.min(6, Math.sqrt(p.tests || 0) / 2),
                              color: '#333', weight: cls === 'not_poor' ? 0.5 : 1.2,
                              fillColor: color, fillOpacity: 0.85, className: 'tsq-' + cls});
    layer.bindPopup(popup(p, cls));
    layer.addTo(map);
  }
  for (const place of OPTIONS.places) {
    points.push([place.lat, place.lon]);
    L.marker([place.lat, place.lon], {interactive: false, keyboard: false,
        icon: L.divIcon({className: 'tsq-place', html: esc(place.name), iconSize: null})})
        .addTo(map);
  }
  if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.05));
  else map.setView([35, 105], 4);

  // The offline basemap: a grid of round coordinates, redrawn as the view changes.
  if (!OPTIONS.tiles) {
    const grid = L.layerGroup().addTo(map);
    const draw = function () {
      grid.clearLayers();
      const b = map.getBounds();
      const span = Math.max(b.getNorth() - b.getSouth(), b.getEast() - b.getWest());
      const steps = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];
      const step = steps.find(s => span / s <= 12) || 10;
      const style = {color: '#c8bfae', weight: 1, interactive: false};
      const digits = Math.max(0, -Math.floor(Math.log10(step)));
      for (let x = Math.ceil(b.getWest() / step) * step; x <= b.getEast(); x += step) {
        grid.addLayer(L.polyline([[b.getSouth(), x], [b.getNorth(), x]], style));
        grid.addLayer(L.marker([b.getSouth(), x], {interactive: false, keyboard: false,
            icon: L.divIcon({className: 'tsq-grid-label', html: x.toFixed(digits) + '°E',
                             iconSize: null, iconAnchor: [-2, 14]})}));
      }
      for (let y = Math.ceil(b.getSouth() / step) * step; y <= b.getNorth(); y += step) {
        grid.addLayer(L.polyline([[y, b.getWest()], [y, b.getEast()]], style));
        grid.addLayer(L.marker([y, b.getWest()], {interactive: false, keyboard: false,
            icon: L.divIcon({className: 'tsq-grid-label', html: y.toFixed(digits) + '°N',
                             iconSize: null, iconAnchor: [-2, 12]})}));
      }
    };
    map.on('moveend', draw);
    draw();
  }

  const title = L.control({position: 'topright'});
  title.onAdd = function () {
    const div = L.DomUtil.create('div', 'tsq-box');
    div.innerHTML = '<h1>' + esc(OPTIONS.title) + '</h1><div class="rule">' + esc(OPTIONS.rule) +
                    '</div>';
    return div;
  };
  title.addTo(map);
  const legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    const div = L.DomUtil.create('div', 'tsq-box tsq-legend');
    div.innerHTML = ORDER.filter(c => counts[c]).map(c =>
        '<div data-class="' + c + '"><i style="background:' + COLORS[c] + '"></i>' +
        esc(TEXT.classes[c]) + ' <b>' + counts[c] + '</b></div>').join('') +
        '<div style="color:#555;margin-top:4px">' + esc(TEXT.legend_note) + '</div>';
    return div;
  };
  legend.addTo(map);
  window.tsqMap = {map: map, counts: counts};
})();
)JS";

}  // namespace

std::string RenderCellMap(const ReportInput& in, const CellsView& view,
                          const CellMapOptions& options) {
  const Lang lang = view.lang;
  const auto T = [lang](std::string_view zh, std::string_view en) {
    return std::string(L(lang, zh, en));
  };
  const std::string period = in.cells ? in.cells->period : in.period.label;
  std::string title = options.title;
  if (title.empty()) {
    title = (lang == Lang::kZh ? "质差小区 " : "Poor-quality cells ") + period;
    if (in.cells && in.cells->baseline_has_tests) {
      title += (lang == Lang::kZh ? "（整治基期 " : " (baseline ") + in.cells->baseline +
               (lang == Lang::kZh ? "）" : ")");
    }
  }
  nlohmann::ordered_json opts;
  opts["title"] = title;
  opts["tiles"] = options.tile_url;
  opts["attribution"] = options.tile_attribution;
  opts["rule"] = in.cells ? CellRuleText(in.cells->rule, lang) : "";
  nlohmann::ordered_json places = nlohmann::ordered_json::array();
  for (const MapPlace& p : options.places) {
    places.push_back({{"name", p.name}, {"lat", p.lat}, {"lon", p.lon}});
  }
  opts["places"] = std::move(places);
  nlohmann::ordered_json text;
  text["operator"] = T("运营商", "Operator");
  text["status"] = T("状态", "Status");
  text["tests"] = T("测速次数", "Tests");
  text["bad_share"] = T("不良占比", "Bad share");
  text["lower"] = T("95% 下限", "95 % lower bound");
  text["median"] = T("下行中位数", "Median downstream");
  text["p10"] = T("下行第10百分位", "10th percentile");
  text["devices"] = T("设备数", "Devices");
  text["baseline"] = T("基期 测速/不良占比", "Baseline tests / bad share");
  text["work_order"] = T("整治工单", "Work order");
  text["tile"] = T("网格", "Tile");
  text["classes"] = {{"still_poor", T("仍质差（基期亦质差）", "still poor (poor in the baseline)")},
                     {"poor", T("本期质差", "poor now")},
                     {"unverified", T("基期质差、本期待验证", "poor before, unverified now")},
                     {"remediated", T("已整治", "remediated")},
                     {"not_poor", T("正常", "not poor")},
                     {"not_measured", T("测速不足", "too few tests")}};
  text["legend_note"] = T("圆点为小区，方块为无小区标识测速的网格",
                          "Dots are cells; squares are tiles of tests without a cell id");
  std::string out;
  out.reserve(kLeafletJs.size() + 65536);
  out += "<!DOCTYPE html>\n<html lang=\"";
  out += lang == Lang::kZh ? "zh-CN" : "en";
  out +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\">\n<title>";
  out += report::HtmlEscape(title);
  out += "</title>\n<style>\n";
  out += kLeafletCss;
  out += "</style>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<div id=\"map\"></div>\n<script>\n";
  out += kLeafletJs;
  out += "\n</script>\n<script>\nconst DATA = ";
  out += ScriptJson(CellsGeoJson(in, view));
  out += ";\nconst OPTIONS = ";
  out += ScriptJson(opts);
  out += ";\nconst TEXT = ";
  out += ScriptJson(text);
  out += ";\n";
  out += kScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace tsq
