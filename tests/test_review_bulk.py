"""Publishing without touching every draft: bulk accept / not-a-problem with undo, a final package of
accepted problems only, emptied problems gone, split wordings, the executor following the category."""

from __future__ import annotations

import io
import zipfile

from tests.test_review import ROADS, act, problems, resync, seed
from tyndau.domain.drafts import Draft
from tyndau.operator_ui.keys import SERVICES
from tyndau.store.problems import sync_drafts

HEALTH = "Управление здравоохранения области (через акимат района)"


async def test_bulk_accept_and_undo(client):
    meeting_id, _ = await seed(client)
    roads, water = await problems(client, meeting_id)
    body = await (await act(client, meeting_id, "accept", {"problem_ids": [roads["id"], water["id"]]})).json()
    assert sorted(body["problems"]) == sorted([roads["id"], water["id"]])
    assert all(p["accepted"] for p in await problems(client, meeting_id))
    assert (await (await act(client, meeting_id, "undo", {})).json())["undone"] == "accept"
    assert not any(p["accepted"] for p in await problems(client, meeting_id))
    assert (await act(client, meeting_id, "accept", {"problem_ids": [roads["id"]], "accepted": "yes"})).status == 400
    assert (await act(client, meeting_id, "accept", {"problem_ids": [roads["id"]]}, role="viewer")).status == 403


async def test_bulk_not_a_problem_empties_problems_out_of_the_list_and_the_package_and_undo_brings_them_back(client):
    meeting_id, ids = await seed(client)
    roads, water = await problems(client, meeting_id)
    resp = await act(client, meeting_id, "dismiss", {"problem_ids": [water["id"]]})
    assert resp.status == 200, await resp.text()
    assert [p["id"] for p in await problems(client, meeting_id)] == [roads["id"]]
    data = await (await client.get(f"/api/v1/meetings/{meeting_id}/report.json", headers=client.people.auth("secretary"))).json()
    assert [p["title_ru"] for p in data["problems"]] == ["Ямы на улице Абая"]
    # The machine's next pass does not bring the dismissed comments back.
    await resync(client, meeting_id, ids)
    assert [p["id"] for p in await problems(client, meeting_id)] == [roads["id"]]
    assert (await (await act(client, meeting_id, "undo", {})).json())["undone"] == "dismiss"
    assert [p["mentions"] for p in await problems(client, meeting_id)] == [3, 2]


async def test_a_problem_emptied_one_comment_at_a_time_leaves_too(client):
    meeting_id, ids = await seed(client)
    await act(client, meeting_id, "not_problem", {"comment_ids": [ids[3], ids[4]]})
    titles = [p["title_ru"] for p in await problems(client, meeting_id)]
    assert titles == ["Ямы на улице Абая"]  # not "Нет воды в Иргели" with 0 mentions
    resp = await client.get(f"/api/v1/meetings/{meeting_id}/report.zip", headers=client.people.auth("secretary"))
    with zipfile.ZipFile(io.BytesIO(await resp.read())) as z:
        names = [n for n in z.namelist() if "problems" in n]
        assert names and "Иргели" not in z.read(names[0]).decode("utf-8-sig")


async def test_final_package_holds_accepted_problems_only_and_lists_the_drafts_left_out(client):
    meeting_id, _ = await seed(client)
    roads, water = await problems(client, meeting_id)
    await act(client, meeting_id, "edit", {"problem_id": roads["id"], "version": roads["version"],
                                           "fields": {"executor": ROADS, "deadline": "2027-03-31", "accepted": True}})
    resp = await client.get(f"/api/v1/meetings/{meeting_id}/report.json", params={"final": "1"}, headers=client.people.auth("secretary"))
    assert resp.status == 200, await resp.text()
    data = await resp.json()
    assert [(p["number"], p["title_ru"]) for p in data["problems"]] == [(1, "Ямы на улице Абая")]
    assert resp.headers["X-Tyndau-Left-Out"] == "1" and resp.headers["X-Tyndau-Problems"] == "1"
    # The water draft has neither executor nor deadline, and does not block: it is left out.
    draft = await (await client.get(f"/api/v1/meetings/{meeting_id}/report.json", headers=client.people.auth("secretary"))).json()
    assert len(draft["problems"]) == 2


async def test_split_keeps_each_parts_wording(client):
    meeting_id, ids = await seed(client)
    roads = (await problems(client, meeting_id))[0]
    # The draft's Kazakh wording came from the Kazakh comment ids[1]; split that comment off.
    engine = client.app[SERVICES].engine

    from tyndau.nlp.drafts import wording
    from tyndau.store.schema import comments
    from tyndau.store.schema import problems as problems_table

    async with engine.begin() as conn:
        await conn.execute(comments.update().where(comments.c.id == ids[1]).values(lang="kk"))
        await conn.execute(problems_table.update().where(problems_table.c.id == roads["id"]).values(
            title_kk=wording("Абай көшесінде шұңқыр көп")))
    resp = await act(client, meeting_id, "split", {"problem_id": roads["id"], "comment_ids": [ids[1]]})
    new = (await resp.json())["problem"]
    assert new["title_kk"] == "Абай көшесінде шұңқыр көп"
    assert new["title_ru"] == "Абай көшесінде шұңқыр көп"  # no Russian comment moved: its own text until a person rewords it
    left = {p["id"]: p for p in await problems(client, meeting_id)}[roads["id"]]
    assert left["title_kk"] == ""  # no Kazakh comment is left: not the moved comment's wording
    assert left["title_ru"] == "Ямы на улице Абая"
    # The machine's next pass does not put the moved comment's wording back.
    await resync(client, meeting_id, ids)
    left = {p["id"]: p for p in await problems(client, meeting_id)}[roads["id"]]
    assert left["title_kk"] == ""
    # Undo puts the problem back as it was.
    await act(client, meeting_id, "undo", {})
    back = {p["id"]: p for p in await problems(client, meeting_id)}[roads["id"]]
    assert back["title_kk"] == "Абай көшесінде шұңқыр көп" and back["mentions"] == 3


async def test_changing_the_category_changes_the_suggested_executor_unless_a_person_chose_one(client):
    meeting_id, _ = await seed(client)
    roads, water = await problems(client, meeting_id)
    body = await (await act(client, meeting_id, "edit", {"problem_id": roads["id"], "version": roads["version"],
                                                          "fields": {"category": "healthcare"}})).json()
    assert body["problem"]["executor"] == HEALTH
    assert "executor" not in body["problem"]["human_fields"]
    # A person picks the executor; a later category change leaves it.
    body = await (await act(client, meeting_id, "edit", {"problem_id": water["id"], "version": water["version"],
                                                          "fields": {"executor": ROADS}})).json()
    body = await (await act(client, meeting_id, "edit", {"problem_id": water["id"], "version": body["problem"]["version"],
                                                          "fields": {"category": "healthcare"}})).json()
    assert body["problem"]["executor"] == ROADS
    # Undo of the category change restores the old executor too.
    await act(client, meeting_id, "undo", {})
    await act(client, meeting_id, "undo", {})
    await act(client, meeting_id, "undo", {})
    assert {p["id"]: p for p in await problems(client, meeting_id)}[roads["id"]]["executor"] == ROADS


async def test_an_accepted_problem_keeps_its_comments_and_wording_when_the_machine_reclusters(client):
    """A secretary accepted a draft she read; the machine's next pass must not take a comment out of it."""
    meeting_id, ids = await seed(client)
    roads, _ = await problems(client, meeting_id)

    async def mentions() -> list[tuple[str, int]]:
        return [(p["title_ru"], p["mentions"]) for p in await problems(client, meeting_id)]

    assert (await act(client, meeting_id, "accept", {"problem_ids": [roads["id"]]})).status == 200
    await resync(client, meeting_id, ids, roads=(0, 1), water=(2, 3, 4))  # would take the third roads comment
    assert await mentions() == [("Ямы на улице Абая", 3), ("Нет воды в Иргели", 2)]
    # nor does its next wording, category or place replace what she checked
    engine = client.app[SERVICES].engine
    async with engine.begin() as conn:
        await sync_drafts(conn, meeting_id, [Draft(1, "Дорога разбита", "Жол бұзылған", "housing", "ул. Абая 12", "", tuple(ids[:3]))], [])
    after = next(p for p in await problems(client, meeting_id) if p["id"] == roads["id"])
    assert (after["title_ru"], after["title_kk"], after["category"], after["place"]) == (
        "Ямы на улице Абая", "Абай көшесіндегі шұңқырлар", "roads_transport", "ул. Абая")
    detail = await (await client.get(f"/api/v1/meetings/{meeting_id}/problems/{roads['id']}", headers=client.people.auth("secretary"))).json()
    assert [c["locked"] for c in detail["comments"]] == [True, True, True]
    # undo: the draft is the machine's again and follows its next pass
    assert (await (await act(client, meeting_id, "undo", {})).json())["undone"] == "accept"
    await resync(client, meeting_id, ids, roads=(0, 1), water=(2, 3, 4))
    assert await mentions() == [("Нет воды в Иргели", 3), ("Ямы на улице Абая", 2)]
    # the edit form's "Принято" tick does the same
    roads = next(p for p in await problems(client, meeting_id) if p["id"] == roads["id"])
    edited = await act(client, meeting_id, "edit", {"problem_id": roads["id"], "version": roads["version"], "fields": {"accepted": True}})
    assert edited.status == 200, await edited.text()
    await resync(client, meeting_id, ids, roads=(0,), water=(1, 2, 3, 4))  # would take the second one too
    assert await mentions() == [("Нет воды в Иргели", 3), ("Ямы на улице Абая", 2)]


async def test_un_accepting_frees_the_comments_the_acceptance_locked_and_keeps_those_a_person_placed(client):
    """She accepted a draft, then changed her mind: the machine may move its comments again, not one she moved in."""
    meeting_id, ids = await seed(client)
    roads, water = await problems(client, meeting_id)

    async def locks(pid: int) -> dict[int, bool]:
        detail = await (await client.get(f"/api/v1/meetings/{meeting_id}/problems/{pid}", headers=client.people.auth("secretary"))).json()
        return {c["id"]: c["locked"] for c in detail["comments"]}

    assert (await act(client, meeting_id, "accept", {"problem_ids": [roads["id"]]})).status == 200
    assert (await act(client, meeting_id, "move", {"to_problem_id": roads["id"], "comment_ids": [ids[3]]})).status == 200
    assert await locks(roads["id"]) == {ids[0]: True, ids[1]: True, ids[2]: True, ids[3]: True}
    assert (await act(client, meeting_id, "accept", {"problem_ids": [roads["id"]], "accepted": False})).status == 200
    assert await locks(roads["id"]) == {ids[0]: False, ids[1]: False, ids[2]: False, ids[3]: True}
    await resync(client, meeting_id, ids, roads=(0, 1), water=(2, 4))  # the machine takes the third one now
    assert sorted(await locks(roads["id"])) == [ids[0], ids[1], ids[3]]
    # undo of the un-accept locks again what it freed (the resync after it is the machine's, not undone)
    assert (await (await act(client, meeting_id, "undo", {})).json())["undone"] == "accept"
    assert await locks(roads["id"]) == {ids[0]: True, ids[1]: True, ids[3]: True}
    # the edit form's tick does the same, and a draft never accepted loses no person's lock
    water = next(p for p in await problems(client, meeting_id) if p["id"] == water["id"])
    untouched = await act(client, meeting_id, "edit", {"problem_id": water["id"], "version": water["version"], "fields": {"accepted": False}})
    assert untouched.status == 200, await untouched.text()
    roads = next(p for p in await problems(client, meeting_id) if p["id"] == roads["id"])
    assert (await act(client, meeting_id, "edit", {"problem_id": roads["id"], "version": roads["version"], "fields": {"accepted": False}})).status == 200
    assert await locks(roads["id"]) == {ids[0]: False, ids[1]: False, ids[3]: True}


async def test_a_problem_is_offered_the_problems_of_its_issue_whose_place_does_not_disagree(client):
    """The detail's "similar": same main issue, one of the two placeless or a shared place; read from the labels."""
    from tyndau.store.schema import comments

    meeting_id, ids = await seed(client)
    url = f"/api/v1/meetings/{meeting_id}/comments"
    resp = await client.post(url, json={"source": "youtube", "external_id": "late", "author": "a9", "text": "воды нет до весны",
                                        "created_at": "2026-12-01T11:00:00+05:00"}, headers=client.people.auth("moderator"))
    late = (await resp.json())["id"]
    irgeli = [{"kind": "settlement", "name": "Иргели", "key": "settlement:иргели"}]
    engine = client.app[SERVICES].engine
    async with engine.begin() as conn:
        for cid, subtopic, places in ((ids[0], "potholes", irgeli), (ids[1], "potholes", []), (ids[2], None, []),
                                      (ids[3], "no_water", irgeli), (ids[4], "no_water", []), (late, "no_water", [])):
            await conn.execute(comments.update().where(comments.c.id == cid).values(labels={"subtopic": subtopic, "places": places}))
        await sync_drafts(conn, meeting_id, [
            Draft(1, "Ямы на улице Абая", "Абай көшесіндегі шұңқырлар", "roads_transport", "ул. Абая", "", tuple(ids[:3])),
            Draft(2, "Нет воды в Иргели", "Иргелиде су жоқ", "utilities", "с. Иргели", "", (ids[3], ids[4])),
            Draft(3, "Нет водоснабжения", "Су жоқ", "utilities", "", "", (late,)),
        ], [ids[5]])
    by_title = {p["title_ru"]: p for p in await problems(client, meeting_id)}

    async def similar(title: str, role: str = "secretary") -> list[tuple[str, bool]]:
        detail = await (await client.get(f"/api/v1/meetings/{meeting_id}/problems/{by_title[title]['id']}",
                                         headers=client.people.auth(role))).json()
        return [(p["title_ru"], p["shared_place"]) for p in detail["similar"]]

    assert await similar("Нет водоснабжения") == [("Нет воды в Иргели", False)]
    assert await similar("Нет воды в Иргели") == []  # a problem with a place is not offered the placeless ones
    assert await similar("Ямы на улице Абая") == []  # the same village, another issue
    assert await similar("Нет водоснабжения", role="viewer") == [("Нет воды в Иргели", False)]
    # merged away: offered no more, and a merged problem offers nothing
    merged = await act(client, meeting_id, "merge", {"target_id": by_title["Нет воды в Иргели"]["id"],
                                                     "source_ids": [by_title["Нет водоснабжения"]["id"]]})
    assert merged.status == 200, await merged.text()
    assert await similar("Нет воды в Иргели") == [] and await similar("Нет водоснабжения") == []
