/* QRIS with the amount: the koperasi's static QRIS payload (EMVCo merchant-presented TLV:
 * ID(2) LEN(2) VALUE …, ending with tag 63, a CRC-16/CCITT-FALSE) turned into a dynamic
 * one for a single payment — tag 01 (point of initiation) set to "12", tag 54 (amount in
 * whole rupiah) added, tags in ascending order, and a new CRC. Pure functions; the Python
 * reference is backend.catalog.domain.qris_with_amount (tests compare the two).
 * Sets `self.KoroenaQris`. */
(function (root) {
  "use strict";

  /** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of the UTF-8 bytes of `text`. */
  function crc16(text) {
    let crc = 0xffff;
    for (const byte of new TextEncoder().encode(text)) {
      crc ^= byte << 8;
      for (let i = 0; i < 8; i++) {
        crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
      }
    }
    return crc.toString(16).toUpperCase().padStart(4, "0");
  }

  /** [[tag, value], …] of a TLV string; lengths count characters. Throws on bad input. */
  function parse(payload) {
    const chars = Array.from(payload);
    const objects = [];
    let at = 0;
    while (at < chars.length) {
      const head = chars.slice(at, at + 4).join("");
      if (!/^\d{4}$/.test(head)) throw new Error("qris_format");
      const length = Number(head.slice(2));
      const value = chars.slice(at + 4, at + 4 + length).join("");
      if (Array.from(value).length !== length) throw new Error("qris_format");
      objects.push([head.slice(0, 2), value]);
      at += 4 + length;
    }
    return objects;
  }

  /** Is the static payload's CRC right (so that it was copied whole)? */
  function valid(payload) {
    try {
      const objects = parse(payload);
      const last = objects[objects.length - 1];
      return !!last && last[0] === "63" && payload.endsWith(last[1]) &&
        crc16(payload.slice(0, -4)) === last[1].toUpperCase();
    } catch {
      return false;
    }
  }

  function withAmount(payload, amount) {
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError("qris_amount");
    const objects = parse(payload)
      .filter(([tag]) => tag !== "54" && tag !== "63")
      .map(([tag, value]) => [tag, tag === "01" ? "12" : value]);
    objects.push(["54", String(amount)]);
    objects.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const body = objects
      .map(([tag, value]) => tag + String(Array.from(value).length).padStart(2, "0") + value)
      .join("") + "6304";
    return body + crc16(body);
  }

  root.KoroenaQris = { crc16, parse, valid, withAmount };
})(self);
