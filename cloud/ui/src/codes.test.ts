import { describe, expect, it } from 'vitest';
import { ApiError } from './api.js';
import { alertText, errorText, eventText, issueText, warningText } from './codes.js';
import { locale } from './i18n.js';

describe('texts from codes and params', () => {
  it('renders a gateway event from its code and data in Vietnamese formats, never its English reason', () => {
    locale.value = 'vi';
    const e = {
      kind: 'valve_opened',
      code: 'awd_refill',
      valve: 'v1',
      reason: 'opened: water level -16.2 cm <= -15 cm',
      data: { waterLevelCm: -16.2, lowCm: -15, highCm: 5, keepFlooded: false },
    };
    expect(eventText(e)).toBe('Mở van v1: mực nước -16,2 cm đã xuống tới mức bơm lại -15 cm');
    locale.value = 'en';
    expect(eventText(e)).toBe('Opened v1: water level -16.2 cm fell to the re-flood mark -15 cm');
    locale.value = 'vi';
  });

  it("falls back to the kind's sentence for a code this build does not know, or when a parameter is missing", () => {
    expect(eventText({ kind: 'valve_closed', code: 'brand_new_code', valve: 'v2' })).toBe('Đóng van v2');
    expect(eventText({ kind: 'valve_opened', code: 'awd_refill', valve: 'v1', data: { lowCm: -15 } })).toBe(
      'Mở van v1',
    );
    expect(eventText({ kind: 'not_a_kind' })).toBe('Bộ điều khiển báo một sự kiện');
  });

  it('writes moments in the data as local times', () => {
    const until = new Date(2026, 11, 1, 14, 30).getTime();
    expect(eventText({ kind: 'valve_closed', code: 'manual_close', valve: 'v1', data: { by: 'nongdan', until } })).toBe(
      'Đóng van v1 bằng tay, giữ đóng đến 14:30',
    );
  });

  it('translates API errors by code, else by HTTP family, and a network failure', () => {
    expect(errorText(new ApiError(400, 'SORTIE_REQUIRED', 'pick a sortie', {}, { sorties: 3 }))).toBe(
      'Kế hoạch có 3 chuyến: hãy chọn một chuyến',
    );
    expect(errorText(new ApiError(409, 'SOMETHING_NEW', 'english'))).toBe(
      'Việc này chưa làm được ở trạng thái hiện tại',
    );
    expect(errorText(new ApiError(503, 'X', 'english'))).toBe('Máy chủ gặp lỗi, hãy thử lại sau');
    expect(errorText(new ApiError(0, 'NETWORK', 'Failed to fetch'))).toBe(
      'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
    );
  });

  it('names the field of a validation issue and its limit', () => {
    expect(issueText({ path: 'body/minutes', code: 'too_small', params: { minimum: 1 } })).toBe('số phút: ít nhất 1');
    expect(issueText({ path: ['zones', 0, 'awd', 'refloodCm'], code: 'too_small', minimum: -40 })).toBe(
      'mức bơm lại: ít nhất -40',
    );
    expect(issueText({ path: 'x', code: 'weird' })).toBe('trường này: giá trị chưa hợp lệ');
  });

  it('gives alerts and mission warnings their sentence, an old English string the generic one', () => {
    expect(alertText({ code: 'water_level', params: { valueCm: -21.5, lowCm: -20, highCm: 15 } })).toEqual({
      title: 'Mực nước bất thường',
      detail: 'Mực nước -21,5 cm, ngoài khoảng -20…15 cm',
    });
    expect(alertText({ code: 'unheard_of' }).title).toBe('Cảnh báo từ ruộng');
    expect(warningText({ code: 'WIND_OVER_LIMIT', params: {} })).toBe('Gió vượt mức tối đa cho phép của thuốc');
    expect(warningText('fly only with wind below 5 m/s')).toBe('Có điều cần lưu ý trước khi bay');
  });
});

describe('manual control', () => {
  it("says when automatic control returns, from the gateway's own hold when it reports one", async () => {
    const { heldBy, preview } = await import('./components/manual-control.js');
    const ts = new Date(2026, 11, 1, 13, 30).getTime();
    expect(preview('close', 'v1', 0, ts)).toBe('Đóng v1 — tự động trở lại lúc 14:30');
    expect(heldBy('cmd_close', { cmdId: 'c1', valves: 'v1', minutes: 90 }, ts)).toEqual({
      cmdId: 'c1',
      what: 'Đóng v1 — tự động trở lại lúc 15:00',
    });
    expect(heldBy('cmd_refused', { cmdId: 'c1' }, ts)).toBeNull();
  });

  it("knows which valves are held by hand until a resume, a later automatic decision or the hold's end", async () => {
    const { activeHolds } = await import('./components/manual-control.js');
    const ts = new Date(2026, 11, 1, 13, 30).getTime();
    const close = { ts, kind: 'cmd_executed', code: 'cmd_close', data: { cmdId: 'c1', valves: 'v1', minutes: 60 } };
    expect([...activeHolds([close], ts + 59 * 60_000)]).toEqual(['v1']);
    expect([...activeHolds([close], ts + 61 * 60_000)]).toEqual([]);
    const resume = {
      ts: ts + 1000,
      kind: 'cmd_executed',
      code: 'cmd_resume',
      data: { cmdId: 'r1', valves: 'v1', cleared: 'v1' },
    };
    expect([...activeHolds([resume, close], ts + 2000)]).toEqual([]);
    const auto = { ts: ts + 1000, kind: 'valve_opened', code: 'awd_refill', valve: 'v1', data: {} };
    expect([...activeHolds([auto, close], ts + 2000)]).toEqual([]);
    const stopAll = {
      ts: ts + 3000,
      kind: 'cmd_executed',
      code: 'cmd_stop_all',
      data: { cmdId: 's', valves: 'v1,v2', minutes: 720 },
    };
    expect([...activeHolds([stopAll, resume, close], ts + 4000)].sort()).toEqual(['v1', 'v2']);
  });
});
