"""Two-ward comparison and bivariate classes."""

import pandas as pd

from explorer.models.compare import BIVARIATE, bivariate, bivariate_sentence, tertiles, two_wards


def test_two_wards_difference_and_direction(registry, values, wards):
    names = dict(zip(wards["code"], wards["name"], strict=True))
    table = two_wards("E05001222", "E05001231", registry, values, names).set_index("label")
    imd = table.loc["Index of Multiple Deprivation 2025: average score"]
    # No interval for an index score: the difference is stated, not judged.
    assert (imd["a"], imd["b"], imd["difference"], imd["direction"]) == ("50.2", "6.4", "43.8", "higher in Foleshill")
    le = table.loc["Life expectancy at birth: men"]
    assert le["difference"] == "6.8 years" and le["direction"] == "better in Wainbody"  # 81.75 - 74.93
    pct = table.loc["% of residents in England's most deprived 10% of neighbourhoods (IMD 2025)"]
    assert pct["difference"] == "75.8 percentage points"


def test_same_ward_is_the_same_everywhere(registry, values, wards):
    names = dict(zip(wards["code"], wards["name"], strict=True))
    assert set(two_wards("E05001222", "E05001222", registry, values, names)["direction"]) == {"the same"}


def test_tertiles_split_in_three_and_keep_missing():
    t = tertiles(pd.Series([1.0, 2, 3, 4, 5, 6, float("nan")]))
    assert t.tolist()[:6] == [0, 0, 1, 1, 2, 2] and pd.isna(t.iloc[6])


def test_bivariate_darkest_corner_is_most_deprived_and_worst():
    dep = pd.Series([1.0, 2, 3, 10, 20, 30])
    le = pd.Series([85.0, 84, 83, 76, 75, 74])  # higher is better: the deprived places are worst
    frame = bivariate(dep, le, "higher_is_better")
    assert frame["colour"].iloc[-1] == BIVARIATE[2][2] and frame["colour"].iloc[0] == BIVARIATE[0][0]


def test_bivariate_sentence_counts(registry):
    frame = pd.DataFrame({"dep": [2, 2, 0, 1], "other": [2, 1, 0, 1]})
    assert bivariate_sentence(frame, registry["no2_background"], "wards") == (
        "1 of 4 wards are both in the most deprived third and the worst third for Background nitrogen dioxide "
        "(NO2) concentration; 1 are in the least deprived third and the best third."
    )


def test_the_pair_sentence_adds_up_and_says_when_a_ward_is_chosen_twice(registry, values, wards):
    from explorer.models.compare import pair_sentence, two_wards

    names = dict(zip(wards["code"], wards["name"], strict=True))
    code = {name: c for c, name in names.items()}
    pair = two_wards(code["Foleshill"], code["Wainbody"], registry, values, names)
    said = pair_sentence(pair, "Foleshill", "Wainbody")
    assert said.startswith("Of the 15 indicators with confidence intervals, Foleshill is significantly better on 2, "
                           "Wainbody on 11, and 1 shows no clear difference; 1 is clearly higher in one ward")
    same = two_wards(code["Foleshill"], code["Foleshill"], registry, values, names)
    assert pair_sentence(same, "Foleshill", "Foleshill") == (
        "Foleshill was chosen twice: choose two different wards to compare them.")
