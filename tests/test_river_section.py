"""Cutting a river section between two places, on lines made in code."""

import pytest
from shapely.geometry import LineString, MultiLineString, Point

from geo.errors import CatalogueError
from geo.resolve import join_river_parts, river_section


def test_section_follows_the_river_and_keeps_the_spec_direction():
    river = LineString([(0, 0), (1, 1), (2, 0), (3, 1)])
    section = river_section(river, Point(2.9, 1.0), Point(0.1, 0.0))
    # From the downstream end back to the upstream one, as the spec asked.
    assert section.coords[0] == pytest.approx((2.95, 0.95), abs=1e-9)
    assert section.coords[-1] == pytest.approx((0.05, 0.05), abs=1e-9)
    assert section.length > Point(2.9, 1.0).distance(Point(0.1, 0.0)) * 1.3


def test_same_point_twice_is_refused():
    with pytest.raises(CatalogueError):
        river_section(LineString([(0, 0), (1, 0)]), Point(0.5, 0.1), Point(0.5, -0.1))


def test_parts_split_by_a_small_gap_are_joined_in_flow_order():
    parts = MultiLineString([[(2.01, 0), (3, 0)], [(0, 0), (1, 0), (2, 0)]])
    river = join_river_parts(parts)
    assert list(river.coords) == [(0, 0), (1, 0), (2, 0), (2.01, 0), (3, 0)]


def test_a_distant_part_is_left_out():
    parts = MultiLineString([[(0, 0), (5, 0)], [(9, 9), (10, 10)]])
    assert join_river_parts(parts).length == pytest.approx(5)
