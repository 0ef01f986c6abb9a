"""The Filters panel's actors list (desktop.panels.actor_list) in a real FiltersPanel: rows,
checks kept across new lists, the find box, clicks and keys, and 5,000 actors (pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from desktop.panels.filters import FiltersPanel
from store.event_facets import ActorCount, EventFacets

pytestmark = pytest.mark.gui

SHOIGU = ActorCount(7, "Sergei Shoigu", "person", 1234)
KIM = ActorCount(3, "Kim Jong Un", "person", 40)
PUTIN = ActorCount(5, "Vladimir Putin", "person", 12)
UNIAN = ActorCount(9, "UNIAN", "organization", 1)
ACTORS = [SHOIGU, KIM, PUTIN, UNIAN]


@pytest.fixture
def panel(qtbot) -> FiltersPanel:
    p = FiltersPanel()
    qtbot.addWidget(p)
    p.resize(320, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def choose(panel: FiltersPanel, actors: list[ActorCount]) -> None:
    panel.set_choices({}, {}, {}, actors, [("UNIAN", 24)])


def texts(panel: FiltersPanel, role: int = Qt.ItemDataRole.DisplayRole) -> list[str]:
    model = panel.actors.model()
    return [model.index(row).data(role) for row in range(model.rowCount())]


def row_of(panel: FiltersPanel, actor_id: int) -> int:
    model = panel.actors.model()
    return next(row for row in range(model.rowCount())
                if model.index(row).data(Qt.ItemDataRole.UserRole) == actor_id)


def click(qtbot, panel: FiltersPanel, actor_id: int, at_box: bool = False) -> None:
    click_row(qtbot, panel.actors, row_of(panel, actor_id), at_box)


def click_row(qtbot, view, row: int, at_box: bool = False) -> None:
    index = view.model().index(row, 0)
    view.scrollTo(index)
    rect = view.visualRect(index)
    point = rect.center()
    if at_box:  # where the style draws the row's check box
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = rect
        view.itemDelegate().initStyleOption(option, index)
        box = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator,
                                          option, view)
        assert box.isValid() and box.right() < rect.center().x()
        point = QPoint(box.center().x(), rect.center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_rows_read_name_and_count_with_a_tooltip_in_the_order_given(panel) -> None:
    choose(panel, ACTORS)
    assert texts(panel) == ["Sergei Shoigu  (1,234)", "Kim Jong Un  (40)",
                            "Vladimir Putin  (12)", "UNIAN  (1)"]
    assert texts(panel, Qt.ItemDataRole.ToolTipRole)[:2] == [
        "Sergei Shoigu: person, in 1,234 events", "Kim Jong Un: person, in 40 events"]
    assert set(texts(panel, Qt.ItemDataRole.CheckStateRole)) == {Qt.CheckState.Unchecked}
    assert panel.checked_actor_ids() == set()
    assert panel.facets().actor_ids is None


def test_a_click_on_a_row_checks_it_and_the_facets_carry_it(qtbot, panel) -> None:
    choose(panel, ACTORS)
    with qtbot.waitSignal(panel.facetsChanged, timeout=2000) as blocker:
        click(qtbot, panel, KIM.id)
    assert blocker.args[0].actor_ids == frozenset({KIM.id})
    index = panel.actors.model().index(row_of(panel, KIM.id))
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    with qtbot.waitSignal(panel.facetsChanged, timeout=2000) as blocker:
        click(qtbot, panel, KIM.id)  # a second click unchecks it
    assert blocker.args[0].actor_ids is None


def test_a_click_on_the_check_box_toggles_once(qtbot, panel) -> None:
    choose(panel, ACTORS)
    with qtbot.waitSignal(panel.facetsChanged, timeout=2000) as blocker:
        click(qtbot, panel, PUTIN.id, at_box=True)
    assert blocker.args[0].actor_ids == frozenset({PUTIN.id})


def test_a_click_on_an_outlet_s_check_box_toggles_it_once_too(qtbot, panel) -> None:
    choose(panel, ACTORS)
    with qtbot.waitSignal(panel.facetsChanged, timeout=2000) as blocker:
        click_row(qtbot, panel.outlets, 0, at_box=True)
    assert blocker.args[0].outlets == frozenset({"UNIAN"})
    with qtbot.waitSignal(panel.facetsChanged, timeout=2000) as blocker:
        click_row(qtbot, panel.outlets, 0)
    assert blocker.args[0].outlets is None


def test_space_and_enter_toggle_the_current_row_and_arrows_move(qtbot, panel) -> None:
    choose(panel, ACTORS)
    view = panel.actors
    view.setFocus()
    view.setCurrentIndex(view.model().index(0))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert panel.checked_actor_ids() == {KIM.id}
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert panel.checked_actor_ids() == {KIM.id, PUTIN.id}
    with qtbot.waitSignal(panel.facetsChanged, timeout=2000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert blocker.args[0].actor_ids == frozenset({KIM.id})
    assert view.focusPolicy() != Qt.FocusPolicy.NoFocus


def test_new_choices_keep_the_checks_of_actors_still_listed(qtbot, panel) -> None:
    choose(panel, ACTORS)
    panel.set_facets(EventFacets(actor_ids=frozenset({KIM.id, UNIAN.id})), emit=False)
    assert panel.checked_actor_ids() == {KIM.id, UNIAN.id}
    choose(panel, [PUTIN, KIM, SHOIGU])  # UNIAN no longer shown, a new order
    assert texts(panel)[1] == "Kim Jong Un  (40)"
    assert panel.checked_actor_ids() == {KIM.id}
    checks = texts(panel, Qt.ItemDataRole.CheckStateRole)
    assert checks == [Qt.CheckState.Unchecked, Qt.CheckState.Checked, Qt.CheckState.Unchecked]
    assert not panel._timer.isActive()  # new choices are no change of the user's filter
    choose(panel, ACTORS)  # UNIAN back, but its check was dropped with its row
    assert panel.checked_actor_ids() == {KIM.id}


def test_the_find_box_hides_rows_and_keeps_hidden_checks(qtbot, panel) -> None:
    choose(panel, ACTORS)
    click(qtbot, panel, SHOIGU.id)
    panel.actor_search.setText("  vlad PUT ")  # every word, any case
    assert texts(panel) == ["Vladimir Putin  (12)"]
    panel.actor_search.setText("kim putin")  # all the words, not any
    assert texts(panel) == []
    assert panel.checked_actor_ids() == {SHOIGU.id}
    panel.actor_search.setText("1,234")  # the count is part of the row text, as before
    assert texts(panel) == ["Sergei Shoigu  (1,234)"]
    panel.actor_search.setText("nobody")
    assert texts(panel) == []
    choose(panel, [KIM, SHOIGU])  # a new list is filtered by the words in the box
    assert texts(panel) == []
    with qtbot.waitSignal(panel.facetsChanged, timeout=2000) as blocker:
        panel.actor_search.setText("u")
        click(qtbot, panel, KIM.id)
    assert blocker.args[0].actor_ids == frozenset({KIM.id, SHOIGU.id})
    panel.actor_search.clear()
    assert texts(panel) == ["Kim Jong Un  (40)", "Sergei Shoigu  (1,234)"]


def test_set_facets_checks_exactly_the_facets_actors(qtbot, panel) -> None:
    choose(panel, ACTORS)
    click(qtbot, panel, SHOIGU.id)
    with qtbot.waitSignal(panel.facetsChanged, timeout=2000) as blocker:
        panel.set_facets(EventFacets(actor_ids=frozenset({PUTIN.id, 999})))
    assert blocker.args[0].actor_ids == frozenset({PUTIN.id})  # 999 has no row
    assert panel.checked_actor_ids() == {PUTIN.id}
    panel.set_facets(EventFacets(), emit=False)
    assert panel.checked_actor_ids() == set()
    assert not panel._timer.isActive()


def many(n: int) -> list[ActorCount]:
    return [ActorCount(i, f"Actor {i:04d}", "person", n - i) for i in range(n)]


def test_only_actor_clears_the_find_box_checks_one_and_scrolls_to_it(qtbot, panel) -> None:
    actors = many(300)
    choose(panel, actors)
    click(qtbot, panel, 0)
    panel.actor_search.setText("Actor 000")
    with qtbot.waitSignal(panel.facetsChanged, timeout=2000) as blocker:
        panel.only_actor(290)
    assert blocker.args[0].actor_ids == frozenset({290})
    assert panel.actor_search.text() == ""
    assert panel.checked_actor_ids() == {290}
    view = panel.actors
    rect = view.visualRect(view.model().index(row_of(panel, 290)))
    assert view.viewport().rect().contains(rect.center())


def test_five_thousand_actors_set_twice_keep_working(qtbot, panel) -> None:
    actors = many(5000)
    choose(panel, actors)
    panel.set_facets(EventFacets(actor_ids=frozenset({4999, 2500})), emit=False)
    choose(panel, actors[1:])  # the next search: one actor fewer
    assert panel.actors.model().rowCount() == 4999
    assert panel.checked_actor_ids() == {4999, 2500}
    panel.actor_search.setText("ACTOR 0259")
    assert texts(panel) == ["Actor 0259  (4,741)"]
    with qtbot.waitSignal(panel.facetsChanged, timeout=2000) as blocker:
        click(qtbot, panel, 259)
    assert blocker.args[0].actor_ids == frozenset({4999, 2500, 259})
    panel.actor_search.clear()
    assert panel.actors.model().rowCount() == 4999
