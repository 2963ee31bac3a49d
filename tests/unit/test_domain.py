from backend.demo import data
from backend.members.domain import parse_nik
from backend.tenancy.domain import KIND_LABELS, KoperasiKind, is_valid_slug, slugify


def test_slugify() -> None:
    assert slugify('Koperasi Wanita "Srikandi"') == "koperasi-wanita-srikandi"
    assert slugify("KSP Artha Mandiri — Unit II") == "ksp-artha-mandiri-unit-ii"
    assert is_valid_slug(slugify("Koperasi Konsumen Pegawai Republik Indonesia Majapahit"))
    assert not is_valid_slug("Bukan Slug")


def test_every_kind_has_an_indonesian_label() -> None:
    assert set(KIND_LABELS) == set(KoperasiKind)
    assert KoperasiKind.KSP.is_savings_and_loan and not KoperasiKind.KSU.is_savings_and_loan


def test_ean13_check_digits() -> None:
    assert data.ean13("899999900001") == "8999999000011"
    assert data.ean13("400638133393") == "4006381333931"  # a published GS1 example
    for index in range(1, len(data.PRODUCTS) + 1):
        code = data.demo_barcode(index)
        assert len(code) == 13 and data.ean13(code[:12]) == code


def test_demo_data_is_valid() -> None:
    assert len(data.KOPERASI) >= 6
    assert len({k.kind for k in data.KOPERASI}) >= 6
    assert all(is_valid_slug(k.slug) for k in data.KOPERASI)
    assert len(data.MEMBERS) >= 30
    for seq, (_, female, born, kecamatan, _phone) in enumerate(data.MEMBERS, start=1):
        info = parse_nik(data.demo_nik(kecamatan, born, female, seq))
        assert info.is_female == female and info.regency_code == "3576"
    for _sku, _name, _category, _unit, price, member_price, cost in data.PRODUCTS:
        assert isinstance(price, int) and cost < price
        assert member_price is None or cost < member_price <= price
