"""A certificate batch under faults and double submits (the faults audit of 2026-12-07): one result's lasting
fault (its photo file gone) ends that item with a message and the batch finishes, instead of staying "running"
and being resent for ever; the same results sent twice (two tabs) make one batch, not two."""

import pytest
from django.core.files.base import ContentFile

from certificates import services, tasks
from certificates.models import Certificate, IssuanceBatch
from certificates.photos import synthetic_photo
from tests.certificates.conftest import ric


def test_a_result_whose_photo_is_gone_fails_alone_and_the_batch_finishes(make_result, filed):
    results = [make_result(name=f"批量{i}", id_number=ric(i)) for i in range(3)]
    broken = results[1]
    broken.photo.save("gone.jpg", ContentFile(synthetic_photo(1)), save=True)
    broken.photo.storage.delete(broken.photo.name)  # the file lost from storage; the record still names it
    batch = services.start_batch(institution=filed.inst, results=results, issued_by=filed.staff)
    tasks.run_batch(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.done) == ("done", 3)
    assert f"评价结果{broken.pk}" in batch.error and "FileNotFoundError" in batch.error
    assert sorted(Certificate.objects.values_list("holder_name", flat=True)) == ["批量0", "批量2"]


def test_the_same_results_sent_twice_make_one_batch(make_result, filed):
    results = [make_result(name=f"两次{i}", id_number=ric(i)) for i in range(2)]
    first = services.start_batch(institution=filed.inst, results=results, issued_by=filed.staff)
    with pytest.raises(services.IssuanceError, match="已在发证批次中"):
        services.start_batch(institution=filed.inst, results=results, issued_by=filed.staff)
    more = make_result(name="新增", id_number=ric(7))
    second = services.start_batch(institution=filed.inst, results=[*results, more], issued_by=filed.staff)
    assert second.result_ids == [more.pk] and IssuanceBatch.objects.count() == 2
    tasks.run_batch(first.pk)
    tasks.run_batch(second.pk)
    assert Certificate.objects.count() == 3
