"""The library kiosk and "my area", one idea a module.

- :mod:`.settings`: how a kiosk is set up (its environment) and the address its QR code gives phones;
- :mod:`.guard`: what a visitor can do and no more (the staff number's lock, the postcode keypad, no links);
- :mod:`.dates`: when figures are from, in words, and which ward set they are for;
- :mod:`.facts`: the plain-English facts, read from a facts file and filled from a ward's figures;
- :mod:`.yardsticks`: fixed levels to set a figure beside;
- :mod:`.landmarks`: what the kiosk's map marks beside the wards;
- :mod:`.nearby`: what the council's register lists near a ward;
- :mod:`.views`: the record of what "my area" says about one ward.

What a place's kiosk shows is put together in :mod:`explorer.models.area_views`; the map document is
:mod:`explorer.models.kioskmap`.
"""
